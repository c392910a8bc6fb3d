package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyDType;
import org.arcgrad.arcface.npy.NpyReader;
import org.arcgrad.arcface.npy.NpyWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code arcgrad head}: outputs on both backends, and every kind of bad input refused with exit 2 and nothing written. */
class HeadCommandTest {
    private static final int N = 6;
    private static final int D = 4;
    private static final int C = 5;

    @TempDir
    Path dir;
    private Path x;
    private Path w;
    private Path y;
    private Path out;

    @BeforeEach
    void inputs() throws IOException {
        Random r = new Random(5);
        x = write("x.npy", NpyArray.ofFloat32(new int[] {N, D}, gaussian(N * D, r)));
        w = write("w.npy", NpyArray.ofFloat32(new int[] {C, D}, gaussian(C * D, r)));
        y = write("y.npy", NpyArray.ofInt64(new int[] {N}, new long[] {0, 4, 1, 2, 3, 4}));
        out = dir.resolve("out");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("head", "--x", x.toString(), "--w", w.toString(), "--labels", y.toString(),
                "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void writesFourFloat32OutputsAndBothBackendsAgree() throws IOException {
        CliRun interp = run(args("--backend", "interpreter"));
        assertEquals(0, interp.code(), interp.err());
        float[] logitsInterp = NpyReader.read(out.resolve("logits.npy")).float32Data();
        float lossInterp = NpyReader.read(out.resolve("loss.npy")).float32Data()[0];
        float[] gwInterp = NpyReader.read(out.resolve("grad_w.npy")).float32Data();

        CliRun device = run(args());
        assertEquals(0, device.code(), device.err());
        NpyArray logits = NpyReader.read(out.resolve("logits.npy"));
        NpyArray loss = NpyReader.read(out.resolve("loss.npy"));
        NpyArray gx = NpyReader.read(out.resolve("grad_x.npy"));
        NpyArray gw = NpyReader.read(out.resolve("grad_w.npy"));
        assertArrayEquals(new int[] {N, C}, logits.shape());
        assertArrayEquals(new int[0], loss.shape());
        assertArrayEquals(new int[] {N, D}, gx.shape());
        assertArrayEquals(new int[] {C, D}, gw.shape());
        for (NpyArray a : List.of(logits, loss, gx, gw)) {
            assertEquals(NpyDType.FLOAT32, a.dtype());
        }
        assertEquals(lossInterp, loss.float32Data()[0], 1e-5 * Math.abs(lossInterp));
        for (int i = 0; i < logitsInterp.length; i++) {
            assertEquals(logitsInterp[i], logits.float32Data()[i], 1e-4, "logit " + i);
        }
        for (int i = 0; i < gwInterp.length; i++) {
            assertEquals(gwInterp[i], gw.float32Data()[i], 1e-5, "grad_w " + i);
        }
    }

    /** For ArcFace and for a sub-center head (W [3·C, D]): chunks of 2 classes and auto give the whole graph's outputs. */
    @Test
    void byClassChunksTheOutputsAgreeWithTheWholeGraph() throws IOException {
        assertChunksAgreeWithTheWholeGraph();
        w = write("w15c.npy", NpyArray.ofFloat32(new int[] {3 * C, D}, gaussian(3 * C * D, new Random(2))));
        out = dir.resolve("subcenter");
        assertChunksAgreeWithTheWholeGraph("--loss", "subcenter", "--k", "3");
        out = dir.resolve("refused");
        assertRefused(run(args("--class-chunk", "0")), "--class-chunk: must be a number ≥ 1, auto or off, got 0");
        assertRefused(run(args("--class-chunk", "many")), "--class-chunk: must be a number ≥ 1, auto or off, got many");
        assertRefused(run(args("--class-chunk", "2", "--backend", "interpreter")), "--class-chunk: applies to --backend opencl only");
    }

    private void assertChunksAgreeWithTheWholeGraph(String... head) throws IOException {
        CliRun whole = run(args(concat(head, "--class-chunk", "off")));
        assertEquals(0, whole.code(), whole.err());
        List<float[]> expected = new java.util.ArrayList<>();
        for (String f : List.of("logits.npy", "loss.npy", "grad_x.npy", "grad_w.npy")) {
            expected.add(NpyReader.read(out.resolve(f)).float32Data());
        }
        for (String[] chunks : List.of(new String[] {"--class-chunk", "2"}, new String[0])) { // K = 2, and auto (the default)
            CliRun chunked = run(args(concat(head, chunks)));
            assertEquals(0, chunked.code(), chunked.err());
            int k = 0;
            for (String f : List.of("logits.npy", "loss.npy", "grad_x.npy", "grad_w.npy")) {
                float[] got = NpyReader.read(out.resolve(f)).float32Data();
                float[] want = expected.get(k++);
                assertEquals(want.length, got.length, f);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])),
                            List.of(head) + " " + List.of(chunks) + ", " + f + " [" + i + "]");
                }
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    /**
     * Partial FC: with rate 1 the sample is every class and the outputs are the plain ones; with a
     * smaller rate the outputs are those of the head on the sampled rows of W with the labels
     * renumbered (computed here by a second run on exactly those inputs), and grad W is zero
     * outside the sample.
     */
    @Test
    void partialFcComputesOverTheSampledClassesOnly() throws IOException {
        CliRun plain = run(args("--backend", "interpreter"));
        assertEquals(0, plain.code(), plain.err());
        float[] plainLoss = NpyReader.read(out.resolve("loss.npy")).float32Data();
        CliRun all = run(args("--backend", "interpreter", "--sample-rate", "1"));
        assertEquals(0, all.code(), all.err());
        assertArrayEquals(plainLoss, NpyReader.read(out.resolve("loss.npy")).float32Data());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, NpyReader.read(out.resolve("sampled_classes.npy")).int64Data());

        assertSampledRunIsTheHeadOnTheSampledRows();
        out = dir.resolve("subcenter");
        assertSampledRunIsTheHeadOnTheSampledRows("--loss", "subcenter", "--k", "2"); // a class's 2 rows are drawn together
        out = dir.resolve("refused");
        assertRefused(run(args("--sample-rate", "0")), "--sample-rate: must be in (0, 1]");
    }

    /** 40 classes, a quarter drawn: the outputs are the head's on the drawn classes' rows of W, grad W zero elsewhere. */
    private void assertSampledRunIsTheHeadOnTheSampledRows(String... head) throws IOException {
        int classes = 40;
        int centres = head.length == 0 ? 1 : Integer.parseInt(head[head.length - 1]);
        int block = centres * D; // a class's rows, contiguous in W
        float[] wAll = gaussian(classes * block, new Random(4));
        w = write("w40x" + centres + ".npy", NpyArray.ofFloat32(new int[] {classes * centres, D}, wAll));
        CliRun sampledRun = run(args(concat(head, "--backend", "interpreter", "--sample-rate", "0.25", "--seed", "9")));
        assertEquals(0, sampledRun.code(), sampledRun.err());
        long[] sample = NpyReader.read(out.resolve("sampled_classes.npy")).int64Data();
        assertEquals(10, sample.length);
        float[] loss = NpyReader.read(out.resolve("loss.npy")).float32Data();
        float[] gx = NpyReader.read(out.resolve("grad_x.npy")).float32Data();
        float[] gw = NpyReader.read(out.resolve("grad_w.npy")).float32Data();
        assertArrayEquals(new int[] {N, 10}, NpyReader.read(out.resolve("logits.npy")).shape());

        // the same head on exactly the sampled rows, labels as positions in the sample
        float[] wSample = new float[sample.length * block];
        for (int k = 0; k < sample.length; k++) {
            System.arraycopy(wAll, (int) sample[k] * block, wSample, k * block, block);
        }
        long[] original = {0, 4, 1, 2, 3, 4};
        long[] renumbered = new long[N];
        for (int i = 0; i < N; i++) {
            renumbered[i] = Arrays.binarySearch(sample, original[i]);
            assertTrue(renumbered[i] >= 0, "label " + original[i] + " is in the sample");
        }
        Path sampled = out;
        Path labels = y;
        w = write("wSample" + centres + ".npy", NpyArray.ofFloat32(new int[] {sample.length * centres, D}, wSample));
        y = write("ySample.npy", NpyArray.ofInt64(new int[] {N}, renumbered));
        out = sampled.resolveSibling(sampled.getFileName() + "-reference");
        CliRun reference = run(args(concat(head, "--backend", "interpreter")));
        assertEquals(0, reference.code(), reference.err());
        assertArrayEquals(NpyReader.read(out.resolve("loss.npy")).float32Data(), loss);
        assertArrayEquals(NpyReader.read(out.resolve("grad_x.npy")).float32Data(), gx);
        float[] gwSample = NpyReader.read(out.resolve("grad_w.npy")).float32Data();
        for (int c = 0, k = 0; c < classes; c++) {
            boolean in = k < sample.length && sample[k] == c;
            for (int j = 0; j < block; j++) {
                assertEquals(in ? gwSample[k * block + j] : 0f, gw[c * block + j], List.of(head) + ": grad W of class " + c);
            }
            k += in ? 1 : 0;
        }
        y = labels;
        out = sampled;
    }

    @Test
    void everyLossRuns() throws IOException {
        Path w15 = write("w15.npy", NpyArray.ofFloat32(new int[] {3 * C, D}, gaussian(3 * C * D, new Random(2))));
        for (String[] extra : List.of(new String[] {"--loss", "cosface"}, new String[] {"--loss", "sphereface", "--iter", "10"},
                new String[] {"--loss", "combined", "--m1", "1.0"}, new String[] {"--loss", "arcface", "--easy-margin"},
                new String[] {"--loss", "magface", "--l-a", "1", "--u-a", "5", "--easy-margin=false"},
                new String[] {"--loss", "curricularface", "--m", "0.3"}, new String[] {"--loss", "adaface", "--h", "0.5", "--t-alpha", "0.1"},
                new String[] {"--loss", "elasticface", "--elastic-form", "cos", "--sigma", "0.05", "--plus"})) {
            CliRun r = run(args(extra));
            assertEquals(0, r.code(), String.join(" ", extra) + ": " + r.err());
        }
        w = w15;
        CliRun r = run(args("--loss", "subcenter", "--k", "3"));
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new int[] {N, C}, NpyReader.read(out.resolve("logits.npy")).shape());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("missing file", "--x", (Setup) t -> t.x = t.dir.resolve("nope.npy")),
                Arguments.of("a folder, not a file", "--w", (Setup) t -> t.w = t.dir),
                Arguments.of("not an npy file", "--x", (Setup) t -> t.x = Files.writeString(t.dir.resolve("bad.npy"), "hello")),
                Arguments.of("float64 X", "--x", (Setup) t -> t.x = t.write("x64.npy", NpyArray.ofFloat64(new int[] {N, D}, new double[N * D]))),
                Arguments.of("int labels as float", "--labels", (Setup) t -> t.y = t.write("yf.npy", NpyArray.ofFloat32(new int[] {N}, new float[N]))),
                Arguments.of("rank-1 X", "--x", (Setup) t -> t.x = t.write("x1.npy", NpyArray.ofFloat32(new int[] {N * D}, new float[N * D]))),
                Arguments.of("N mismatch", "--labels", (Setup) t -> t.y = t.write("y5.npy", NpyArray.ofInt32(new int[] {N - 1}, new int[N - 1]))),
                Arguments.of("D mismatch", "--w", (Setup) t -> t.w = t.write("w3.npy", NpyArray.ofFloat32(new int[] {C, D - 1}, new float[C * (D - 1)]))),
                Arguments.of("label = C", "--labels", (Setup) t -> t.y = t.write("yc.npy", NpyArray.ofInt32(new int[] {N}, new int[] {0, 1, 2, 3, 4, C}))),
                Arguments.of("negative label", "--labels", (Setup) t -> t.y = t.write("yn.npy", NpyArray.ofInt64(new int[] {N}, new long[] {0, -1, 2, 3, 4, 0}))),
                Arguments.of("NaN in X", "--x", (Setup) t -> t.x = t.write("xnan.npy", withValue(N, D, Float.NaN))),
                Arguments.of("Inf in W", "--w", (Setup) t -> t.w = t.write("winf.npy", withValue(C, D, Float.POSITIVE_INFINITY))));
    }

    @FunctionalInterface
    interface Setup {
        void apply(HeadCommandTest t) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badFilesExitTwoNamingTheOptionAndWriteNothing(String what, String option, Setup setup) throws IOException {
        setup.apply(this);
        assertRefused(run(args()), option);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"--s", "0"}, "--s"),
                Arguments.of(new String[] {"--s", "-3"}, "--s"),
                Arguments.of(new String[] {"--m", "2.0"}, "--m"),
                Arguments.of(new String[] {"--loss", "cosface", "--m", "1.5"}, "--m"),
                Arguments.of(new String[] {"--loss", "sphereface", "--m", "2.5"}, "--m"),
                Arguments.of(new String[] {"--loss", "combined", "--m3", "5"}, "--m3"),
                Arguments.of(new String[] {"--loss", "subcenter", "--k", "2"}, "--k"),
                Arguments.of(new String[] {"--k", "3"}, "--k"),
                Arguments.of(new String[] {"--loss", "magface", "--u-m", "2"}, "--u-m"),
                Arguments.of(new String[] {"--loss", "magface", "--l-a", "200"}, "--l-a"),
                Arguments.of(new String[] {"--loss", "cosface", "--lambda-g", "3"}, "--lambda-g"),
                Arguments.of(new String[] {"--loss", "cosface", "--easy-margin"}, "--easy-margin"),
                Arguments.of(new String[] {"--loss", "curricularface", "--m", "2"}, "--m"),
                Arguments.of(new String[] {"--loss", "adaface", "--t-alpha", "0"}, "--t-alpha"),
                Arguments.of(new String[] {"--loss", "arcface", "--h", "0.3"}, "--h"),
                Arguments.of(new String[] {"--loss", "elasticface", "--elastic-form", "tan"}, "--elastic-form"),
                Arguments.of(new String[] {"--loss", "elasticface", "--sigma", "-1"}, "--sigma"),
                Arguments.of(new String[] {"--loss", "arcface", "--plus"}, "--plus"),
                Arguments.of(new String[] {"--loss", "softmax"}, "--loss"),
                Arguments.of(new String[] {"--backend", "cuda"}, "--backend"),
                Arguments.of(new String[] {"--device", "no-such-device"}, "--device"));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("badOptions")
    void badOptionsExitTwoNamingTheOptionAndWriteNothing(String[] extra, String option) {
        assertRefused(run(args(extra)), option);
    }

    /**
     * A row of X whose norm fp32 cannot square and sum (1e20 here: its sum of squares is infinite in
     * fp32, and every cosine of it would come out 0) is refused on the device, naming the file and
     * the row; the fp64 interpreter computes it.
     */
    @Test
    void aRowTooLargeForFp32IsRefusedOnTheDeviceAndComputedByTheInterpreter() throws IOException {
        float[] values = gaussian(N * D, new Random(7));
        for (int k = 2 * D; k < 3 * D; k++) {
            values[k] *= 1e20f;
        }
        x = write("x-large.npy", NpyArray.ofFloat32(new int[] {N, D}, values));
        CliRun device = run(args());
        assertRefused(device, "--x: " + x + " row 2 has norm");
        assertTrue(device.err().contains("overflows above 1e+19") && device.err().contains("--backend interpreter"), device.err());
        CliRun interpreter = run(args("--backend", "interpreter"));
        assertEquals(0, interpreter.code(), interpreter.err());
        float[] logits = NpyReader.read(out.resolve("logits.npy")).float32Data();
        double rowNorm = 0;
        for (int c = 0; c < C; c++) {
            rowNorm = Math.max(rowNorm, Math.abs(logits[2 * C + c]));
        }
        assertTrue(rowNorm > 0.1, "the interpreter's cosines of row 2 are not 0: " + rowNorm);
    }

    @Test
    void outputPathThatIsAFileIsRefused() throws IOException {
        out = Files.writeString(dir.resolve("a-file"), "x");
        CliRun r = run(args());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out"), r.err());
        assertEquals("x", Files.readString(out));
    }

    @Test
    void anOutputNameTakenByAFolderIsRefusedBeforeTheComputation() throws IOException {
        Files.createDirectories(out.resolve("grad_w.npy"));
        CliRun r = run(args());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("grad_w.npy is a folder, where this command writes a file"), r.err());
        assertFalse(Files.exists(out.resolve("logits.npy")), "nothing written");
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsRefused() throws IOException {
        out = Files.writeString(dir.resolve("plain"), "x").resolve("out");
        CliRun r = run(args());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out: cannot create " + out), r.err());
    }

    @Test
    void deviceOutOfMemoryNamesTheHeadsTensorsAndExitsThree() throws IOException {
        // logits of N×C floats just over the device's largest allocation: refused before any driver call
        long maxAlloc;
        try (var context = DeviceOption.open(null)) {
            maxAlloc = context.device().info().maxAllocBytes();
        }
        int n = 256;
        int c = (int) (maxAlloc / Float.BYTES / n + 1);
        // PoCL gives a host with ~25 GB free a largest allocation of 8 GiB: 2^31 floats, so N×C just over
        // it passes 32-bit indexing first, which another check refuses (exit 2) before any allocation
        Assumptions.assumeTrue((long) n * c < Integer.MAX_VALUE, "this device allocates more than an int-indexed tensor holds");
        x = write("big-x.npy", NpyArray.ofFloat32(new int[] {n, 1}, gaussian(n, new Random(2))));
        w = write("big-w.npy", NpyArray.ofFloat32(new int[] {c, 1}, gaussian(c, new Random(3))));
        y = write("big-y.npy", NpyArray.ofInt64(new int[] {n}, new long[n]));
        CliRun r = run(args());
        assertEquals(Main.OUT_OF_MEMORY, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("arcgrad head: out of device memory on '"), r.err());
        assertTrue(r.err().contains("W and grad W (each " + c + "×1 float32")
                && r.err().contains("the logits (each " + n + "×" + c + " float32"), r.err());
        // the default chunks the loss and gradients; the logits that logits.npy asks for are still N×C
        assertTrue(r.err().contains("use fewer classes (rows of " + w + ")"), r.err());
        assertFalse(Files.exists(out.resolve("logits.npy")), "nothing written");
    }

    @Test
    void aBadEnvironmentVariableIsOneLineAndExitTwo() {
        String saved = System.getProperty("arcgrad.cache");
        System.setProperty("arcgrad.cache", "maybe"); // what ARCGRAD_CACHE=maybe sets
        CliRun r;
        try {
            r = run(args());
        } finally {
            if (saved == null) {
                System.clearProperty("arcgrad.cache");
            } else {
                System.setProperty("arcgrad.cache", saved);
            }
        }
        assertEquals(2, r.code(), r.err());
        assertEquals("arcgrad: ARCGRAD_CACHE=maybe is not understood; use ARCGRAD_CACHE=off to turn the kernel cache off, "
                + "or leave it unset\n", r.err().replace("\r", ""));
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        CliRun r = run("head", "--help");
        assertEquals(0, r.code());
        for (String o : List.of("--loss", "--s", "--m", "--easy-margin", "--m1", "--m2", "--m3", "--k", "--iter", "--l-a", "--u-a", "--l-m",
                "--u-m", "--lambda-g", "--h", "--t-alpha", "--elastic-form", "--sigma", "--plus", "--device", "--backend")) {
            String line = r.out().lines().dropWhile(l -> !l.trim().startsWith(o + "=") && !l.trim().startsWith(o + " ")
                    && !l.trim().startsWith(o + "[") && !l.trim().equals(o)).findFirst().orElse("");
            int at = r.out().indexOf(line);
            String block = r.out().substring(at, Math.min(r.out().length(), at + 300));
            assertTrue(block.contains("Default"), o + " has no default in --help:\n" + r.out());
        }
        for (String o : List.of("--x", "--w", "--labels", "--out")) {
            assertTrue(r.out().contains(o + "="), o + " missing from --help");
        }
    }

    private void assertRefused(CliRun r, String option) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().contains(option), "stderr should name " + option + ": " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().lines().count() <= 2, "a short message: " + r.err());
        assertFalse(Files.exists(out), "nothing may be written: " + out + " exists");
    }

    Path write(String name, NpyArray a) throws IOException {
        Path p = dir.resolve(name);
        NpyWriter.write(p, a);
        return p;
    }

    private static NpyArray withValue(int rows, int cols, float v) {
        float[] d = gaussian(rows * cols, new Random(1));
        d[d.length - 2] = v;
        return NpyArray.ofFloat32(new int[] {rows, cols}, d);
    }

    private static float[] gaussian(int n, Random r) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }
}
