package org.arcgrad.arcface.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command that continues a stopped run: the user's own command line with {@code --resume}
 * pointing at the checkpoint, spelled so it can be pasted into a shell. The launcher script tells
 * its own name through the system property {@value #LAUNCHER_PROPERTY}.
 */
final class ResumeCommand {
    static final String LAUNCHER_PROPERTY = "arcgrad.launcher";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    private ResumeCommand() {
    }

    /** {@code args}: the command's arguments after its name (an old --resume is replaced). */
    static String of(String command, List<String> args, Path checkpoint) {
        List<String> words = new ArrayList<>(List.of(System.getProperty(LAUNCHER_PROPERTY, "arcgrad"), command));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--resume")) {
                i++;
            } else if (!a.startsWith("--resume=")) {
                words.add(a);
            }
        }
        words.add("--resume");
        words.add(checkpoint.toString());
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            line.append(line.length() == 0 ? "" : " ").append(PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }
}
