package org.arcgrad.arcface.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A peer script that stays running and answers commands one at a time (a line in, lines out until
 * one with the expected prefix), so a benchmark can alternate between our side and the peer's,
 * e.g. epoch by epoch, and both see the same machine load. Lines are prefixed like PythonPeer's:
 * {@code P_INFO ...}, {@code P_UNAVAILABLE reason}; everything else is kept for error messages.
 */
final class LockstepPeer implements AutoCloseable {
    private final String prefix;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final List<String> transcript = new ArrayList<>();
    private String info = "";

    LockstepPeer(List<String> command, Map<String, String> environment, String prefix) throws IOException {
        this.prefix = prefix;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        this.process = pb.start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        info = await(prefix + "_INFO").substring(prefix.length() + "_INFO".length()).trim();
    }

    String info() {
        return info;
    }

    /** Sends one command and returns the first answer line starting with {@code answerPrefix}. */
    String ask(String command, String answerPrefix) throws IOException {
        in.println(command);
        return await(answerPrefix);
    }

    private String await(String wanted) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            transcript.add(line);
            if (line.startsWith(prefix + "_UNAVAILABLE")) {
                throw new IOException("the PyTorch peer cannot run: " + line.substring(prefix.length() + "_UNAVAILABLE".length()).trim());
            }
            if (line.startsWith(wanted)) {
                return line;
            }
        }
        throw new IOException("the PyTorch peer stopped before answering " + wanted + ": "
                + String.join(" | ", transcript.subList(Math.max(0, transcript.size() - 20), transcript.size())));
    }

    @Override
    public void close() {
        in.close();
        process.destroy();
    }
}
