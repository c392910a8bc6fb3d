package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyWriter;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.opencl.files.TemporaryFiles;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILL in the middle of each kind of write (the process stalls inside the write through
 * {@link AtomicFiles#STALL_PROPERTY}, so the kill lands there every time): the temporary file is
 * on disk, the target is not half-written, and the next normal run in the same folders finishes
 * and leaves no temporary file anywhere: output folder, weights folder, kernel cache.
 */
class KilledWritesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("train", "checkpoint.npz"),
                Arguments.of("train", "metrics.json"),
                Arguments.of("train", "curves.png"),
                Arguments.of("train", "head.weight.npy"),
                Arguments.of("train", "*.clbin"),
                Arguments.of("head", "logits.npy"));
    }

    @ParameterizedTest(name = "{0}, killed while writing {1}")
    @MethodSource("writes")
    void aKillInsideAWriteLeavesNothingAfterTheNextRun(String command, String file) throws Exception {
        Path out = dir.resolve("out");
        Path cache = dir.resolve("kernel-cache"); // its own, so the kernels are compiled and written here
        // and asked for: on PoCL the disk cache is otherwise left to PoCL's own
        String[] args = command.equals("train") ? SmallTraining.train("--epochs", "1", "--out", out.toString()) : headArgs(out);
        Path temporary;
        try (ChildCli child = ChildCli.start(List.of("-D" + AtomicFiles.STALL_PROPERTY + "=" + file,
                "-D" + CacheSettings.PROPERTY_CACHE_DIR + "=" + cache, "-D" + CacheSettings.PROPERTY_CACHE + "=on"), Map.of(), args)) {
            String line = child.awaitLine(false, l -> l.startsWith("arcgrad-test: stalled writing "), 180);
            temporary = Path.of(line.substring("arcgrad-test: stalled writing ".length()));
            child.kill();
        }
        assertTrue(Files.exists(temporary) && TemporaryFiles.isTemporary(temporary), "the kill left " + temporary);
        // a write of several files together (the report, the weights) leaves the temporaries of all of them
        assertTrue(Stream.concat(SmallTraining.temporariesUnder(out).stream(), SmallTraining.temporariesUnder(cache).stream())
                .toList().contains(temporary));

        String savedDir = System.getProperty(CacheSettings.PROPERTY_CACHE_DIR);
        String savedSwitch = System.getProperty(CacheSettings.PROPERTY_CACHE);
        System.setProperty(CacheSettings.PROPERTY_CACHE_DIR, cache.toString());
        System.setProperty(CacheSettings.PROPERTY_CACHE, "on");
        CliRun again;
        try {
            again = CliRun.of(args);
        } finally {
            restore(CacheSettings.PROPERTY_CACHE_DIR, savedDir);
            restore(CacheSettings.PROPERTY_CACHE, savedSwitch);
        }
        assertEquals(0, again.code(), again.err());
        assertEquals(List.of(), SmallTraining.temporariesUnder(out));
        assertEquals(List.of(), SmallTraining.temporariesUnder(cache));
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private String[] headArgs(Path out) throws IOException {
        Random r = new Random(7);
        float[] x = new float[8 * 4];
        float[] w = new float[5 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        NpyWriter.write(dir.resolve("x.npy"), NpyArray.ofFloat32(new int[] {8, 4}, x));
        NpyWriter.write(dir.resolve("w.npy"), NpyArray.ofFloat32(new int[] {5, 4}, w));
        NpyWriter.write(dir.resolve("y.npy"), NpyArray.ofInt64(new int[] {8}, new long[] {0, 1, 2, 3, 4, 0, 1, 2}));
        return new String[] {"head", "--x", dir.resolve("x.npy").toString(), "--w", dir.resolve("w.npy").toString(),
            "--labels", dir.resolve("y.npy").toString(), "--out", out.toString()};
    }
}
