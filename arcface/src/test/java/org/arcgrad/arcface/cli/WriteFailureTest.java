package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails in the middle of a run (here: the weights folder replaced by a file while the
 * run trains, as a full disk or another program could): one line naming the file and what went
 * wrong, the checkpoint that was kept and the command that continues; exit 2.
 */
class WriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsLateNamesTheFileAndTheCheckpointKept() throws Exception {
        Path out = dir.resolve("run");
        try (ChildCli child = ChildCli.start(List.of(), Map.of(), SmallTraining.train("--epochs", "6", "--out", out.toString()))) {
            child.awaitLine(true, l -> l.matches("epoch 1/6 .*"), 120);
            Files.writeString(out.resolve("weights"), "not a folder"); // the weights are written after the last epoch
            assertEquals(Main.BAD_INPUT, child.exitCode(120), child.err());
            assertEquals(1, child.errLines().size(), child.err());
            String line = child.err();
            assertTrue(line.startsWith("arcgrad train: " + out.resolve("weights") + ": exists, and is not what should be there"), line);
            assertTrue(line.contains("; the checkpoint " + out.resolve("checkpoint.npz") + " (after epoch 6) is intact; continue with: "
                    + "arcgrad train "), line);
        }
        assertEquals(List.of(), SmallTraining.temporariesUnder(out));
    }
}
