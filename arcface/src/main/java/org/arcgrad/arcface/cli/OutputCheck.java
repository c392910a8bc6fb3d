package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcgrad.opencl.files.TemporaryFiles;

/**
 * Checks, before any work, that a command can write what it will write: the output folder is a
 * folder or can be made, files can be created in it, and none of the paths it will write is an
 * existing entry of the wrong kind (a folder where a file goes, a file where a folder goes). A
 * missing folder is not created here, so a run that fails later on bad data leaves nothing
 * behind; the check writes and removes one temporary file in the nearest existing folder.
 */
final class OutputCheck {
    private OutputCheck() {
    }

    /** {@code files}: every file the command writes, all inside {@code out} (or its sub-folders). */
    static void check(String option, Path out, List<Path> files) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException(option + ": " + out + " exists and is not a folder");
        }
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                throw new BadInputException(option + ": " + file + " is a folder, where this command writes a file; move it away"
                        + " or choose another " + option);
            }
            for (Path p = file.getParent(); p != null && p.startsWith(out) && !p.equals(out); p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    throw new BadInputException(option + ": " + p + " exists and is not a folder, where this command writes "
                            + file.getFileName() + "; move it away or choose another " + option);
                }
            }
        }
        Path existing = out.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new BadInputException(option + ": cannot create " + out + ": " + existing + " is not a folder");
        }
        try {
            TemporaryFiles.probeWritable(existing);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot write in " + existing + " (" + e.getMessage() + ")");
        }
    }
}
