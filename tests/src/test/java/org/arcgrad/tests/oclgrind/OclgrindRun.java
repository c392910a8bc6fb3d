package org.arcgrad.tests.oclgrind;

import static org.arcgrad.autodiff.Functional.crossEntropy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.pairs.BatchHardTripletLoss;
import org.arcgrad.arcface.pairs.CircleLoss;
import org.arcgrad.arcface.pairs.ContrastiveLoss;
import org.arcgrad.arcface.pairs.MultiSimilarityLoss;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Pool2d;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.gemm.CompiledGemm;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmParams;
import org.arcgrad.opencl.gemm.GemmVariant;
import org.arcgrad.opencl.gemm.SplitK;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.Kernel;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.arcgrad.tests.opencl.RunningLogSumExpEdges;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.training.StepAgreement;

/**
 * The child process of {@link OclgrindTest}, whose environment registers Oclgrind as the only
 * OpenCL device. {@code checks PLAN...}: the five margin heads with cross-entropy, forward and
 * backward, at a size that fills whole GEMM tiles and at ragged sizes, a product split along K, and training steps of a
 * tiny model, each held to the fp64 interpreter, under each plan named; one line per case on
 * stdout. {@code planted}: two kernels with a planted data race and a planted out-of-bounds read,
 * whose diagnostics show that the simulator's checks are on. Exit 0 when every case agrees with the
 * interpreter and Oclgrind logged nothing, 1 otherwise, 3 when the device is not Oclgrind.
 */
public final class OclgrindRun {
    private OclgrindRun() {
    }

    /**
     * n, d, c of the head cases: whole 64×64 GEMM tiles with K a multiple of 16; ragged edges; and
     * 70 rows, so that the CPU plan's row reductions run in lockstep with a padded last group
     * (clamped reads, guarded stores) and its column sums run sixteen lanes at a time.
     */
    static final int[][] SIZES = {{64, 32, 64}, {5, 19, 37}, {70, 20, 48}};

    public static void main(String[] args) {
        Path log = Path.of(System.getenv("OCLGRIND_LOG"));
        try {
            if (args[0].equals("planted")) {
                run(log, "planted faults", OclgrindRun::planted);
            }
            for (int i = 1; i < args.length; i++) {
                CompileOptions options = CompileOptions.defaults().withPlan(PlanChoice.valueOf(args[i]));
                for (int[] s : SIZES) {
                    for (MarginHead head : heads()) {
                        run(log, String.format("%s plan, %s + cross-entropy, n=%d d=%d c=%d, forward and backward", options.plan(),
                                head.getClass().getSimpleName(), s[0], s[1], s[2]), c -> checkHead(c, options, head, s[0], s[1], s[2]));
                    }
                }
                run(log, options.plan() + " plan, sums over a leading and a middle axis (the CPU plan's lanes), row sums of 70 rows",
                        c -> checkReductions(c, options));
                run(log, options.plan() + " plan, a running log-sum-exp and a log-sum-exp over x·Wᵀ + E (10 x 200, rows of NaN, ±∞"
                        + " and exp overflowing fp32; on the GPU plan folded into the product, work-groups walking two column tiles)",
                        c -> checkFoldedRows(c, options));
                if (options.plan() == PlanChoice.CPU) {
                    run(log, "CPU plan, a 7x5 product over K = 4100 split into 4 slices of K (the last ragged) and summed, and a"
                            + " 3x800 product x·Wᵀ (TT over a transposed copy of x), with their gradients",
                            c -> checkProducts(c, options, 4100, 800));
                } else {
                    run(log, "GPU plan, a 7x5 product over K = 100 and a 3x70 product x·Wᵀ, with their gradients",
                            c -> checkProducts(c, options, 100, 70));
                    for (GemmParams tiles : List.of(GemmDefaults.gpuSmall(), GemmDefaults.gpu(GemmVariant.NN))) {
                        run(log, String.format("GPU plan's local-memory tiles of %dx%d walking K %d at a time, a 7x5 product over"
                                + " K = 100 split into 3 slices of K (48, 48 and a ragged 4) and summed, as the compiler splits one"
                                + " over K of 4096 or more", tiles.mwg(), tiles.nwg(), tiles.kwg()), c -> checkSplitLocalTiles(c, tiles));
                    }
                }
                run(log, options.plan() + " plan, a pairwise loss with the custom-loss ops (label equality, triu, random draws, "
                        + "gatherRows, softplus, abs, maximum), forward and backward", c -> checkCustomLossOps(c, options));
                run(log, options.plan() + " plan, the pair losses (circle, multi-similarity, contrastive, batch-hard triplet) on a"
                        + " 3x4 batch with a singleton label, forward and backward", c -> checkPairLosses(c, options));
                run(log, options.plan() + " plan, convolutions (grouped, stride 2, padding 1; dilation 2; 1x1) and poolings"
                        + " (max, average, overlapping), with their gradients", c -> checkConvolutions(c, options));
                run(log, options.plan() + " plan, a 3x3 convolution over 8x8 planes with its gradients (the CPU plan's plane"
                        + " kernels), one over 14 images of 30x30 (CPU plan), and three at stride 2: over the 8x8 planes (phases),"
                        + " over 88 images of 24x24 (CPU plan, phases for the weight gradient) and over 1x1 images (PatchGemm, col2im)",
                        c -> checkImplicitConvolution(c, options));
                run(log, options.plan() + " plan, batch-norm layouts of 14x14 and 7x7 planes (vectors along a plane, a scalar"
                        + " tail) and a transposed read gathered lane by lane, with their gradients",
                        c -> checkImageLayouts(c, options));
                for (int d : new int[] {4, 16}) {
                    run(log, options.plan() + " plan, sub-center ArcFace (K = 2) + cross-entropy by chunks of 2 classes of 5"
                            + " (the view over the centres in the chunks), D = " + d + ", forward and backward",
                            c -> checkChunkedSubCenter(c, options, d, 5, 2));
                }
                run(log, options.plan() + " plan, the same by chunks of 66 classes of 70, D = 16 (on the GPU plan the first"
                        + " chunk's product folded, its depth loop once per centre, an edge column tile)",
                        c -> checkChunkedSubCenter(c, options, 16, 70, 66));
                Recipe recipe = new Recipe().hidden(List.of(16)).embedding(8);
                Network tiny = recipe.network(12, new ArcFace(30, 0.5, false), 5, 1);
                run(log, options.plan() + " plan, 2 training steps of a 12-16-8 MLP with batch norm, ArcFace, SGD",
                        c -> StepAgreement.check(c, tiny, recipe.optimizer(), 16, new Hyper(0, 0.05, 0.9), options, 2));
            }
        } catch (AssertionError e) {
            System.out.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
        if (diagnosed) {
            System.exit(1);
        }
    }

    private static boolean diagnosed;
    /**
     * Runs one case in a context of its own and prints "ok" and its time, or "DIAGNOSTICS" and
     * the start of what Oclgrind logged (it truncates its log when a context opens). A context per
     * case because Oclgrind 21.10 reports reads of a buffer allocated where a released one was, in
     * the same context, as uninitialized even after a kernel wrote it (seen with a second
     * executable in one context, whose values were right).
     */
    private static void run(Path log, String name, java.util.function.Consumer<DeviceContext> check) {
        long t = System.nanoTime();
        try (DeviceContext context = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly())) {
            if (!context.device().name().contains("Oclgrind")) {
                System.out.println("expected the Oclgrind device, got " + context.device().name());
                System.exit(3);
            }
            check.accept(context);
        }
        String logged = read(log);
        diagnosed |= !logged.isEmpty();
        System.out.printf("%s %s (%.1f s)%n", logged.isEmpty() ? "ok" : "DIAGNOSTICS in", name, (System.nanoTime() - t) / 1e9);
        if (!logged.isEmpty()) {
            System.out.print(summary(logged));
        }
    }

    /**
     * Each kind of diagnostic once with its count ("Invalid read of size 4, in kernel k: 1 time"),
     * then the first one whole. A diagnostic starts at a line that is not indented.
     */
    static String summary(String logged) {
        List<List<String>> blocks = new ArrayList<>();
        for (String line : logged.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                blocks.add(new ArrayList<>());
            }
            if (!blocks.isEmpty()) {
                blocks.get(blocks.size() - 1).add(line);
            }
        }
        Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
        for (List<String> block : blocks) {
            String kind = block.get(0).replaceAll(" (at|to) (global|local|private) memory address 0x[0-9a-f]+", "");
            for (String line : block) {
                if (line.strip().startsWith("Kernel:")) {
                    kind += ", in kernel " + line.strip().substring("Kernel:".length()).strip();
                }
            }
            kinds.merge(kind, 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        kinds.forEach((kind, n) -> b.append("  ").append(kind).append(": ").append(n).append(n == 1 ? " time\n" : " times\n"));
        b.append("  the first, whole:\n");
        for (String line : blocks.isEmpty() ? List.of(logged) : blocks.get(0)) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }

    private static String read(Path log) {
        try {
            return log != null && Files.exists(log) ? Files.readString(log).strip() : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<MarginHead> heads() {
        return List.of(new ArcFace(), new CosFace(), new SphereFace(), new CombinedMargin(), new SubCenterArcFace(30, 0.5, false, 2));
    }

    private static void checkHead(DeviceContext context, CompileOptions options, MarginHead head, int n, int d, int c) {
        Tape tape = new Tape();
        int rows = head instanceof SubCenterArcFace sub ? c * sub.k() : c;
        Tensor x = tape.param("x", n, d);
        Tensor w = tape.param("w", rows, d);
        Tensor y = tape.labels("y", n);
        Tensor logits = head.logits(x, w, y);
        Tensor loss = crossEntropy(logits, y);
        Tensor[] grads = tape.grad(loss, x, w);
        Random random = new Random(n * 1000L + c);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(x.shape(), random));
        feeds.put(w, NDArray.gaussian(w.shape(), random));
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i == 0 ? 0 : i == 1 ? c - 1 : random.nextInt(c);
        }
        feeds.put(y, NDArray.of(Shape.of(n), labels));
        List<Tensor> outputs = new ArrayList<>(List.of(logits, loss, grads[0], grads[1]));
        List<String> names = List.of("logits", "loss", "grad x", "grad w");
        DeviceAgreement.assertAgrees(outputs, feeds, random, k -> head.getClass().getSimpleName() + " " + names.get(k), tape.dump(),
                outs -> Executable.compile(context, options, outs));
    }

    /**
     * The class-chunked path's pieces on a sub-center head (K = 2): chunk graphs over [N, width·K]
     * columns, the last one short. With D = 4, chunks of W are copies (their offsets are not aligned)
     * and N > D, so backward computes the product again; with D = 16 they are views, and backward
     * takes forward's product from grad W's buffer. Chunks as wide as a column tile fold their first
     * pass into the product on the GPU plan (checked here). (One context each: see {@link #run}.)
     */
    private static void checkChunkedSubCenter(DeviceContext context, CompileOptions options, int d, int classes, int width) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 5, d);
        Tensor w = tape.param("w", 2 * classes, d);
        Tensor y = tape.labels("y", 5);
        Tensor loss = crossEntropy(new SubCenterArcFace(30, 0.5, false, 2).logits(x, w, y), y);
        Tensor[] grads = tape.grad(loss, x, w);
        Random random = new Random(21);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(x.shape(), random));
        feeds.put(w, NDArray.gaussian(w.shape(), random));
        feeds.put(y, NDArray.of(Shape.of(5), 0, classes - 1, 2, 2, 3));
        DeviceComparison.roundToFloat(feeds);
        try (ChunkedExecutable e = ChunkedExecutable.compile(context, options, width, loss, grads[0], grads[1])) {
            boolean folds = e.plan().chunkGraphs().stream().anyMatch(g -> KernelPlan.of(g, options.plan().apply(
                    DeviceLimits.of(context.device().info()))).kernels().stream().anyMatch(k -> k.kind().equals("gemm-fold")));
            if (folds != (options.plan() == PlanChoice.GPU && width >= 32)) {
                throw new AssertionError("chunked sub-center by " + width + " classes, " + options.plan() + " plan: folded " + folds);
            }
            int expected = d == 16 ? 1 : 0;
            if (e.plan().keptProducts() != expected) {
                throw new AssertionError("chunked sub-center, D = " + d + ": " + e.plan().keptProducts() + " products kept, not "
                        + expected);
            }
            NDArray[] device = e.run(feeds);
            var disagreement = InterpreterAgreement.check(Graph.of(loss, grads[0], grads[1]), feeds, device, random);
            if (disagreement.isPresent()) {
                throw new AssertionError("chunked sub-center, D = " + d + ": " + disagreement.get());
            }
        }
    }

    /** Reductions in every form the plans have: lanes over 16 or 4 columns, several output rows, lockstep rows. */
    private static void checkReductions(DeviceContext context, CompileOptions options) {
        Tape tape = new Tape();
        Tensor a = tape.param("a", 70, 48);
        Tensor b = tape.param("b", 3, 5, 20);
        List<Tensor> outputs = List.of(a.exp().sum(0, false), a.max(1, false), b.sum(1, false), b.max(0, true));
        Random random = new Random(12);
        Map<Tensor, NDArray> feeds = Map.of(a, NDArray.uniform(a.shape(), -1, 1, random), b, NDArray.uniform(b.shape(), -1, 1, random));
        DeviceAgreement.assertAgrees(outputs, feeds, random, k -> "reduction " + k, tape.dump(), outs -> Executable.compile(context, options, outs));
    }

    /**
     * {@link RunningLogSumExpEdges} over a product: on the GPU plan the row fold's GEMM (running
     * values in registers, combined through local memory after a barrier, five splits over seven
     * column tiles) and its merge, both through the scratch buffer.
     */
    private static void checkFoldedRows(DeviceContext context, CompileOptions options) {
        Tape tape = new Tape();
        RunningLogSumExpEdges c = RunningLogSumExpEdges.overAProduct(tape);
        DeviceAgreement.assertAgrees(c.outputs(), c.feeds(), new Random(9), k -> "output " + k, tape.dump(),
                outs -> Executable.compile(context, options, outs));
    }

    /**
     * Products that go through the scratch buffer: at a depth of 4 096 or more split K
     * ({@link org.arcgrad.opencl.gemm.SplitK}), partial products then their sum; and a wide x·Wᵀ,
     * which the CPU plan runs as TT over a {@link org.arcgrad.opencl.gemm.TransposedCopy} of x
     * ({@code classes} of 768 or more). The GPU plan takes a depth of 100 and 70 classes: at 4 100
     * and 800 its 32×32 tiles of 256 work-items cost the simulator 76 s (the CPU plan's whole case 5
     * s), and at 300 and 800 still 28 s beside the other test JVM; {@link #checkSplitLocalTiles}
     * splits its tiles instead.
     */
    private static void checkProducts(DeviceContext context, CompileOptions options, int depth, int classes) {
        Tape tape = new Tape();
        Tensor a = tape.param("a", 7, depth);
        Tensor b = tape.param("b", depth, 5);
        Tensor x = tape.param("x", 3, 6);
        Tensor w = tape.param("w", classes, 6);
        Tensor wide = x.exp().matmul(w.transpose());
        Tensor loss = a.matmul(b).square().sum().add(wide.square().sum());
        assertLossAndGradientsAgree(context, options, tape, loss, List.of(a, b, x, w),
                List.of("loss", "grad a", "grad b", "grad x", "grad w"), 41);
    }

    /**
     * Split K in one of the GPU plan's local-memory tiles ({@link GemmDefaults#gpuSmall}, walking K
     * 32 at a time, or {@link GemmDefaults#gpu}, 16 at a time) as {@link CompiledGemm#splitK} runs
     * them for the compiler: three slices of 48, 48 and 4 of K = 100, so that a slice ends inside a
     * K tile and the last is shorter than one, then the sum of the partial blocks; against the fp64
     * product within fp32 rounding (2e-6 of Σ|a·b|, GemmCorrectnessTest's bound). One tile a case:
     * a second product's partial blocks, in the same context, land where the first's were released,
     * and Oclgrind then reports their sum as written from uninitialized values (see {@link #run}).
     */
    private static void checkSplitLocalTiles(DeviceContext context, GemmParams params) {
        int m = 7;
        int n = 5;
        int k = 100;
        if (SplitK.sliceLength(k, 3) != 48) {
            throw new AssertionError("slices of " + SplitK.sliceLength(k, 3) + ", not 48, 48 and 4");
        }
        Random random = new Random(43);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (float[] v : List.of(a, b)) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextDouble() - 0.5);
            }
        }
        DeviceBuffer ab = context.upload("A", a);
        DeviceBuffer bb = context.upload("B", b);
        DeviceBuffer cb = context.upload("C", new float[m * n]);
        try (CompiledGemm gemm = CompiledGemm.splitK(context, GemmVariant.NN, params, 3)) {
            gemm.run(m, n, k, ab, bb, cb);
            float[] c = cb.downloadFloats();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        exact += (double) a[i * k + p] * b[p * n + j];
                        magnitude += Math.abs((double) a[i * k + p] * b[p * n + j]);
                    }
                    if (!(Math.abs(c[i * n + j] - exact) <= 2e-6 * magnitude)) {
                        throw new AssertionError(params + ": C[" + i + "," + j + "] = " + c[i * n + j] + ", expected " + exact);
                    }
                }
            }
        } finally {
            ab.release();
            bb.release();
            cb.release();
        }
    }

    /** Philox draws, index masks, integer label comparisons and gathered rows in kernels of both forms. */
    private static void checkCustomLossOps(DeviceContext context, CompileOptions options) {
        int n = 19;
        Tape tape = new Tape();
        Tensor x = tape.param("x", n, 12);
        Tensor w = tape.param("w", 7, 12);
        Tensor y = tape.labels("y", n);
        Tensor seed = tape.labels("seed");
        Tensor e = Functional.normalize(x.add(tape.normal(seed, n, 12).scale(0.01)));
        Tensor pairs = y.reshape(n, 1).eq(y.reshape(1, n)).mul(tape.triu(n, 1));
        Tensor pairwise = Functional.softplus(e.matmul(e.transpose()).mul(pairs).sum().scale(4));
        Tensor rows = Functional.gatherRows(w, y).mul(x).abs().maximum(tape.uniform(seed, n, 12)).sum();
        Tensor loss = pairwise.add(rows);
        Tensor[] grads = tape.grad(loss, x, w);
        Random random = new Random(19);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 7;
        }
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(x.shape(), random));
        feeds.put(w, NDArray.gaussian(w.shape(), random));
        feeds.put(y, NDArray.of(Shape.of(n), labels));
        feeds.put(seed, NDArray.scalar(2026));
        List<String> names = List.of("loss", "grad x", "grad w");
        DeviceAgreement.assertAgrees(List.of(loss, grads[0], grads[1]), feeds, random, names::get, tape.dump(),
                outs -> Executable.compile(context, options, outs));
    }

    /**
     * The pair losses' masked row reductions (maxima, minima and log-sum-exps over the positives or
     * negatives of each row) and their gradients, on 13 samples: three labels of four and one alone.
     */
    private static void checkPairLosses(DeviceContext context, CompileOptions options) {
        int n = 13;
        Tape tape = new Tape();
        Tensor x = tape.param("x", n, 9);
        Tensor y = tape.labels("y", n);
        Tensor loss = new CircleLoss().loss(x, y).add(new MultiSimilarityLoss().loss(x, y)).add(new ContrastiveLoss().loss(x, y))
                .add(new BatchHardTripletLoss().loss(x, y));
        Tensor grad = tape.grad(loss, x)[0];
        Random random = new Random(13);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 12 ? i % 3 : 3;
        }
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(x.shape(), random));
        feeds.put(y, NDArray.of(Shape.of(n), labels));
        DeviceAgreement.assertAgrees(List.of(loss, grad), feeds, random, k -> k == 0 ? "pair losses" : "their grad x", tape.dump(),
                outs -> Executable.compile(context, options, outs));
    }

    /**
     * Elementwise kernels over image tensors, where the CPU plan's vectors run along the column
     * of a 2-D range that covers a whole plane (14×14: four lanes; 7×7: sixteen lanes and a
     * scalar tail for the 49th position, whose vector must not be read or stored), and a
     * transposed operand beside a contiguous one (gathered lane by lane into a private array):
     * the gathers' offsets stay inside their buffers and every lane is written before the vector
     * is read.
     */
    private static void checkImageLayouts(DeviceContext context, CompileOptions options) {
        Tape tape = new Tape();
        Tensor product14 = tape.param("product14", 3, 2 * 196);
        Tensor product7 = tape.param("product7", 3, 16 * 49);
        Tensor image7 = tape.param("image7", 16, 3, 7, 7);
        Tensor scale = tape.param("scale", 1, 3, 1, 1);
        Tensor planes14 = product14.reshape(3, 2, 196).permute(1, 0, 2).reshape(2, 3, 14, 14);
        Tensor planes7 = product7.reshape(3, 16, 49).permute(1, 0, 2).reshape(16, 3, 7, 7);
        Tensor permuted = image7.mul(scale).reshape(16, 3, 49).permute(1, 0, 2).add(product7.reshape(3, 16, 49).mul(2));
        Tensor square = tape.param("square", 16, 16);
        Tensor loss = Functional.relu(planes14.mul(scale)).square().sum()
                .add(Functional.relu(planes7.mul(scale)).add(image7).square().sum()).add(permuted.exp().sum())
                .add(square.transpose().add(square.mul(2)).exp().sum());
        assertLossAndGradientsAgree(context, options, tape, loss, List.of(product14, product7, image7, scale, square),
                List.of("loss", "grad product14", "grad product7", "grad image7", "grad scale", "grad square"), 29);
    }

    /** A loss and its gradients with respect to {@code params}, drawn uniform in [-0.5, 0.5), against the interpreter. */
    private static void assertLossAndGradientsAgree(DeviceContext context, CompileOptions options, Tape tape, Tensor loss,
                                                    List<Tensor> params, List<String> names, long seed) {
        Tensor[] grads = tape.grad(loss, params.toArray(new Tensor[0]));
        Random random = new Random(seed);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor p : params) {
            feeds.put(p, NDArray.uniform(p.shape(), -0.5, 0.5, random));
        }
        List<Tensor> outputs = new java.util.ArrayList<>(List.of(loss));
        outputs.addAll(List.of(grads));
        DeviceAgreement.assertAgrees(outputs, feeds, random, names::get, tape.dump(), outs -> Executable.compile(context, options, outs));
    }

    /**
     * The window kernels at the edges of their index arithmetic: convolutions with padding on both
     * sides, a stride that leaves the last input row unread, dilation, groups, a rectangular input;
     * max and average pooling with padding, and max pooling with overlapping windows.
     */
    private static void checkConvolutions(DeviceContext context, CompileOptions options) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2, 4, 7, 6);
        Tensor w1 = tape.param("w1", 4, 2, 3, 3);
        Tensor w2 = tape.param("w2", 3, 4, 3, 3);
        Tensor w3 = tape.param("w3", 2, 3, 1, 1);
        Tensor h = x.conv2d(w1, Conv2d.of(2, 1, 1, 2)).exp();
        Tensor c = h.conv2d(w2, Conv2d.of(1, 2, 2, 1)).conv2d(w3, Conv2d.plain());
        Tensor pooled = c.maxPool2d(Pool2d.of(3, 2, 1)).add(Functional.avgPool2d(c, Pool2d.of(3, 2, 1)));
        Tensor loss = pooled.square().sum().add(c.maxPool2d(new Pool2d(2, 1, 1, 1, 0, 0)).sum());
        assertLossAndGradientsAgree(context, options, tape, loss, List.of(x, w1, w2, w3),
                List.of("loss", "grad x", "grad w1", "grad w2", "grad w3"), 23);
    }

    /**
     * The CPU plan's kernels that read an image in place. A 3×3 convolution over 8×8 planes keeps
     * its planes, so its forward product and input gradient are
     * {@link org.arcgrad.opencl.gemm.PlaneConvolution}s (vectors of sixteen positions of one image,
     * the padding's lanes masked, the first and last images' vectors read lane by lane where they
     * could reach past the buffer; five output channels: a partial block of rows) and its weight
     * gradient a {@link org.arcgrad.opencl.gemm.PatchWeightGradient}, as is that of a convolution
     * over 14 images of 30×30 (two blocks of images, a last chunk that overlaps the one before; on
     * the CPU plan only, whose kernel it is for). A stride-2 convolution over the 8×8 planes reads
     * their phases ({@link org.arcgrad.opencl.gemm.PhaseSplit}) for its forward product, and its
     * input gradient is a plane convolution per phase, stored lane by lane; one over 88 images of
     * 24×24 reads its phases for its weight gradient too, two blocks of images whose partial sums
     * lie in the scratch buffer beside the phases (CPU plan only). A stride-2 convolution over 1×1
     * images takes {@link org.arcgrad.opencl.gemm.PatchGemm} forward, lanes read one by one, and
     * keeps col2im for its input gradient (its CPU form walks each row's taps with computed
     * bounds), where the last tap of a row lies wholly in the padding and must write nothing.
     */
    private static void checkImplicitConvolution(DeviceContext context, CompileOptions options) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2, 3, 8, 8);
        Tensor w = tape.param("w", 5, 3, 3, 3);
        Tensor tiny = tape.param("tiny", 2, 2, 1, 1);
        Tensor w2 = tape.param("w2", 3, 2, 3, 3);
        Tensor many = tape.input("many", 14, 1, 30, 30); // an input: no input gradient, Oclgrind's time goes to the weights
        Tensor w3 = tape.param("w3", 1, 1, 3, 3);
        Tensor phased = tape.input("phased", 88, 1, 24, 24);
        Tensor w4 = tape.param("w4", 2, 1, 3, 3);
        Tensor loss = x.conv2d(w, Conv2d.of(1, 1, 1, 1)).square().sum()
                .add(x.conv2d(w, Conv2d.of(2, 1, 1, 1)).square().sum())
                .add(tiny.conv2d(w2, Conv2d.of(2, 1, 1, 1)).square().sum());
        if (options.plan() == PlanChoice.CPU) {
            // the CPU plan's kernel alone; the GPU plan's product over K = 12 600 would take Oclgrind a minute
            loss = loss.add(many.conv2d(w3, Conv2d.of(1, 1, 1, 1)).square().sum())
                    .add(phased.conv2d(w4, Conv2d.of(2, 1, 1, 1)).square().sum());
        }
        Tensor[] grads = tape.grad(loss, x, w, tiny, w2, w3, w4);
        Random random = new Random(29);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor p : List.of(x, w, tiny, w2, many, w3, phased, w4)) {
            feeds.put(p, NDArray.uniform(p.shape(), -0.5, 0.5, random));
        }
        List<String> names = List.of("loss", "grad x", "grad w", "grad tiny", "grad w2", "grad w3", "grad w4");
        DeviceAgreement.assertAgrees(List.of(loss, grads[0], grads[1], grads[2], grads[3], grads[4], grads[5]), feeds, random, names::get,
                tape.dump(), outs -> Executable.compile(context, options, outs));
    }

    /** A write-write race between the work-items of one group, and a read one element past a buffer's end. */
    private static void planted(DeviceContext context) {
        String source = "__kernel void planted_race(__global float* out) { out[0] = (float) get_global_id(0); }\n"
                + "__kernel void planted_out_of_bounds(__global float* out, __global const float* in) {\n"
                + "    out[get_global_id(0)] = in[get_global_id(0) + 1];\n}\n";
        DeviceBuffer out = context.floatBuffer("out", 64);
        DeviceBuffer in = context.floatBuffer("in", 64);
        in.upload(new float[64]);
        try (Kernel race = context.build(source).kernel("planted_race");
             Kernel oob = context.build(source).kernel("planted_out_of_bounds")) {
            race.set(0, out).launch(new long[] {64}, new long[] {64});
            oob.set(0, out).set(1, in).launch(new long[] {64}, new long[] {64});
            out.download(new float[64], 0);
        }
        System.out.println("planted kernels ran");
    }
}
