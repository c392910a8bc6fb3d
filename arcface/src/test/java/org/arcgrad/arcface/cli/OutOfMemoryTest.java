package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.data.FashionMnist;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproductions of Java heap exhaustion, in a child JVM with a small -Xmx: one line
 * naming the cause and the remedy, exit 3, no stack trace, nothing written.
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void headWithAMillionClassesInAHeapTooSmall() throws Exception {
        int c = 1_000_000;
        NpyWriter.write(dir.resolve("x.npy"), NpyArray.ofFloat32(new int[] {4, 8}, new float[32]));
        NpyWriter.write(dir.resolve("w.npy"), NpyArray.ofFloat32(new int[] {c, 8}, new float[c * 8]));
        NpyWriter.write(dir.resolve("y.npy"), NpyArray.ofInt64(new int[] {4}, new long[4]));
        Path out = dir.resolve("out");
        try (ChildCli child = ChildCli.start(List.of("-Xmx40m"), Map.of(), "head", "--x", dir.resolve("x.npy").toString(),
                "--w", dir.resolve("w.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--out", out.toString())) {
            assertOneLineExitThree(child);
        }
        assertFalse(Files.exists(out.resolve("logits.npy")));
    }

    @Test
    void trainingOnFashionMnistInAHeapTooSmall() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_FOLDER), "needs dataset-fashion-mnist");
        Path out = dir.resolve("run");
        try (ChildCli child = ChildCli.start(List.of("-Xmx128m"), Map.of(), "train", "--hidden", "32", "--embedding", "16",
                "--epochs", "1", "--out", out.toString())) {
            assertOneLineExitThree(child);
        }
        assertFalse(Files.exists(out.resolve("checkpoint.npz")));
    }

    private static void assertOneLineExitThree(ChildCli child) throws InterruptedException {
        assertEquals(Main.OUT_OF_MEMORY, child.exitCode(120), child.err());
        assertEquals(1, child.errLines().size(), child.err());
        assertTrue(child.err().startsWith("arcgrad: out of Java heap memory") && child.err().contains("ARCGRAD_JAVA_OPTS=-Xmx"),
                child.err());
    }
}
