package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.CompiledGraph;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.fused.ChunkedInterpreter;
import org.arcgrad.opencl.fused.ChunkedPlan;
import org.arcgrad.opencl.fused.ClassRegion;
import org.arcgrad.opencl.fused.ClassRegionFinder;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10's decomposition, held to the interpreter: in the training graph (loss, grad x, grad W)
 * of every margin head with cross-entropy, and of a margin written from primitives, the finder
 * finds the N×C part by op kinds alone; computing that part a chunk of columns at a time, in its
 * passes, gives the same loss and gradients as the whole graph, at fp64 rounding, for chunks of one
 * column, of a width that leaves a short last chunk, and of all columns.
 */
class ChunkedRegionTest {
    private static final int N = 6;
    private static final int D = 5;
    private static final int C = 13;

    /** A margin head or any other way to make logits from x, W ([C·centres, D]) and labels. */
    record Head(String name, int centres, Function<Tensor[], Tensor> logits) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Head of(String name, MarginHead h) {
        return new Head(name, h instanceof SubCenterArcFace sub ? sub.k() : 1, a -> h.logits(a[0], a[1], a[2]));
    }

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of(of("arcface", new ArcFace(30, 0.5, false))),
                Arguments.of(of("arcface easy margin", new ArcFace(30, 0.5, true))),
                Arguments.of(of("cosface", new CosFace(30, 0.35))),
                Arguments.of(of("sphereface", new SphereFace())),
                Arguments.of(of("combined", new CombinedMargin(30, 1.0, 0.3, 0.2))),
                Arguments.of(of("subcenter K=3", new SubCenterArcFace(30, 0.5, false, 3))),
                // a user's own margin from primitives: CosFace with a per-sample scale (the feature norm, a row value)
                Arguments.of(new Head("own: norm-scaled cosface", 1, a -> {
                    Tensor norm = a[0].square().sum(1, true).sqrt();
                    Tensor cos = Functional.normalize(a[0]).matmul(Functional.normalize(a[1]).transpose());
                    Tensor oneHot = Functional.oneHot(a[2], a[1].shape().dim(0)); // W's rows are the classes
                    return cos.sub(oneHot.mul(0.35)).mul(norm.detach().mul(4.0));
                })));
    }

    private record Problem(Tensor loss, Tensor gx, Tensor gw, Tensor logits, Map<Tensor, NDArray> feeds) {
    }

    private static Problem problem(Head head, long seed) {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C * head.centres(), D);
        Tensor y = t.labels("y", N);
        Tensor logits = head.logits().apply(new Tensor[] {x, w, y});
        Tensor loss = Functional.crossEntropy(logits, y);
        Tensor[] g = t.grad(loss, x, w);
        Random r = new Random(seed);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(Shape.of(N, D), r));
        feeds.put(w, NDArray.gaussian(Shape.of(C * head.centres(), D), r));
        feeds.put(y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        return new Problem(loss, g[0], g[1], logits, feeds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void theFinderFindsTheNxCPartOfTheTrainingGraph(Head head) {
        Problem p = problem(head, 1);
        ClassRegion r = ClassRegionFinder.find(Graph.of(p.loss(), p.gx(), p.gw())).region().orElseThrow();
        assertEquals(N, r.rows());
        assertEquals(C, r.classes());
        assertEquals(head.centres(), r.axis().centres());
        assertEquals(1, r.products().size());
        // forward: the row max with the sum of exp(logit − max) beside it (online log-sum-exp) and the
        // label's logit; backward: the two products
        assertEquals(2, r.passes(), r.consumers().toString());
        Map<ClassRegion.Kind, Long> kinds = r.consumerKinds();
        assertEquals(1L, kinds.get(ClassRegion.Kind.ROW_MAX), kinds.toString());
        assertEquals(1L, kinds.get(ClassRegion.Kind.ROW_SUM_EXP), kinds.toString());
        assertEquals(1L, kinds.get(ClassRegion.Kind.CONTRACT_CLASSES), kinds.toString());
        assertEquals(1L, kinds.get(ClassRegion.Kind.CLASS_ROWS), kinds.toString());
        assertTrue(kinds.get(ClassRegion.Kind.ROW_SUM) >= 1, "the label's logit, at least: " + kinds);
        assertTrue(r.consumers().stream().filter(c -> c.kind() == ClassRegion.Kind.ROW_MAX || c.kind() == ClassRegion.Kind.ROW_SUM_EXP)
                .allMatch(c -> c.pass() == 1), r.consumers().toString());
        assertTrue(r.consumers().stream().filter(c -> c.kind() == ClassRegion.Kind.CONTRACT_CLASSES
                || c.kind() == ClassRegion.Kind.CLASS_ROWS).allMatch(c -> c.pass() == 2), r.consumers().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void chunkByChunkGivesTheSameLossAndGradients(Head head) {
        for (long seed = 1; seed <= 3; seed++) {
            Problem p = problem(head, seed);
            Graph g = Graph.of(p.loss(), p.gx(), p.gw());
            assertChunksGiveTheWholeGraph(g, p.feeds(), head + ", seed " + seed, 1, 4, C);
        }
    }

    static Stream<Arguments> headsAndPlans() {
        return heads().flatMap(a -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(a.get()[0], p)));
    }

    /**
     * On the device, under both kernel plans: every piece an ordinary executable, no buffer of N×C
     * elements, and the loss and gradients agree with the whole graph in the fp64 interpreter.
     */
    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("headsAndPlans")
    void onTheDeviceNoBufferHoldsNxCAndTheResultsAgree(Head head, PlanChoice plan) {
        Problem p = problem(head, 4);
        DeviceComparison.roundToFloat(p.feeds()); // both sides read the same fp32 inputs
        Graph g = Graph.of(p.loss(), p.gx(), p.gw());
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), 4,
                p.loss(), p.gx(), p.gw())) {
            long wide = 4L * head.centres(); // a chunk's columns of the product [N, C·K]
            long bound = Math.max(N * wide, Math.max((long) N * D, wide * D));
            assertTrue(e.largestChunkBufferElements() <= bound && bound < (long) N * C,
                    "largest chunk buffer " + e.largestChunkBufferElements() + " elements");
            assertTrue(e.largestChunkBufferElements() >= N * 4L, "a chunk's values take N × 4: " + e.largestChunkBufferElements());
            NDArray[] device = e.run(p.feeds());
            var disagreement = InterpreterAgreement.check(g, p.feeds(), device, new Random(9));
            assertTrue(disagreement.isEmpty(), () -> head + ", " + plan + ": " + disagreement.get());
        }
    }

    /**
     * With chunks of 4 classes and D = the device's base address alignment / 16 bytes (8 on PoCL,
     * whose alignment is 128 bytes; 32 on an NVIDIA GPU's 512), every chunk of W starts at an
     * aligned offset: the chunks read W through views of its buffer, with no copy, and the results
     * still agree; with D = 5 (the test above) the chunks are copies.
     */
    /** A head's training graph with {@code features} features: x [N, features], W [C·K, features], labels, the loss and its gradients. */
    record Training(Tensor x, Tensor w, Tensor y, Tensor loss, Tensor gx, Tensor gw) {
        Graph graph() {
            return Graph.of(loss, gx, gw);
        }
    }

    static Training training(Head head, int features) {
        Tape t = new Tape();
        Tensor x = t.param("x", N, features);
        Tensor w = t.param("w", C * head.centres(), features);
        Tensor y = t.labels("y", N);
        Tensor loss = Functional.crossEntropy(head.logits().apply(new Tensor[] {x, w, y}), y);
        Tensor[] g = t.grad(loss, x, w);
        return new Training(x, w, y, loss, g[0], g[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void alignedChunksAreViewsOfWAndAgree(Head head) {
        int d = (int) Math.max(8, SharedDevice.context().baseAddressAlignBytes() / 16);
        Training p = training(head, d);
        Tensor x = p.x();
        Tensor w = p.w();
        Tensor y = p.y();
        Tensor loss = p.loss();
        Tensor[] g = {p.gx(), p.gw()};
        Random r = new Random(5);
        Map<Tensor, NDArray> feeds = DeviceComparison.roundToFloat(Map.of(x, NDArray.gaussian(Shape.of(N, d), r),
                w, NDArray.gaussian(Shape.of(C * head.centres(), d), r), y, NDArray.of(Shape.of(N), 0, 12, 3, 4, 12, 7)));
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), 4, loss, g[0], g[1])) {
            NDArray[] device = e.run(feeds);
            assertEquals(0, e.slicesCopied(), head + ": chunks of W at " + 16 * d + "-byte offsets are views");
            var disagreement = InterpreterAgreement.check(Graph.of(loss, g[0], g[1]), feeds, device, new Random(9));
            assertTrue(disagreement.isEmpty(), () -> head + ": " + disagreement.get());
        }
    }

    /**
     * Where the N×C values outweigh W (N = 64, D = 2, C = 2000), the chunked run's device buffers
     * peak far below the whole graph's: the region is held 50 columns at a time.
     */
    @Test
    void whereTheLogitsOutweighWTheChunkedRunNeedsFarLessDeviceMemory() {
        int n = 64;
        int d = 2;
        int c = 2000;
        Tape t = new Tape();
        Tensor x = t.param("x", n, d);
        Tensor w = t.param("w", c, d);
        Tensor y = t.labels("y", n);
        Tensor loss = Functional.crossEntropy(new ArcFace().logits(x, w, y), y);
        Tensor[] g = t.grad(loss, x, w);
        Random r = new Random(3);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(c);
        }
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(n, d), r), w, NDArray.gaussian(Shape.of(c, d), r),
                y, NDArray.of(Shape.of(n), labels));
        long whole;
        try (DeviceContext ctx = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly());
             Executable e = Executable.compile(ctx, loss, g[0], g[1])) {
            e.run(feeds);
            whole = ctx.peakAllocatedBytes();
        }
        long chunked;
        try (DeviceContext ctx = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly())) {
            try (ChunkedExecutable e = ChunkedExecutable.compile(ctx, CompileOptions.defaults(), 50, loss, g[0], g[1])) {
                e.run(feeds);
                chunked = ctx.peakAllocatedBytes();
            }
            assertEquals(0, ctx.allocatedBytes(), "closing gives every piece's buffers back");
        }
        // the whole graph holds two N×C values at least (4 bytes × 128 000 each); the chunks hold N × 50
        assertTrue(whole > 4L * n * c * 2, "whole graph: " + whole + " bytes");
        assertTrue(chunked * 4 < whole, "chunked " + chunked + " bytes against whole " + whole);
    }

    /**
     * A pair loss over the batch's own Gram matrix x̂·x̂ᵀ (the "classes" are the batch again) with a
     * label-equality mask of int labels (a row value [N, 1] against a column value [1, N]): the region
     * is found, both backward products feed grad x, and chunks of 1, 3 and 7 give the whole graph's numbers,
 * on the device too.
     */
    @Test
    void aPairLossOverTheGramMatrixSplitsToo() {
        int n = 7;
        Tape t = new Tape();
        Tensor x = t.param("x", n, D);
        Tensor y = t.labels("y", n);
        Tensor xn = Functional.normalize(x);
        Tensor sim = xn.matmul(xn.transpose());
        Tensor same = y.reshape(n, 1).eq(y.reshape(1, n)).toFloat();
        Tensor loss = Functional.logSumExp(sim.mul(same.rsub(1)).sub(sim.mul(same)).mul(10), 1, false).mean();
        Tensor[] g = t.grad(loss, x);
        Graph graph = Graph.of(loss, g[0]);
        ClassRegion r = ClassRegionFinder.find(graph).region().orElseThrow();
        assertEquals(n, r.classes());
        assertEquals(1L, r.consumerKinds().get(ClassRegion.Kind.CONTRACT_CLASSES));
        assertEquals(1L, r.consumerKinds().get(ClassRegion.Kind.CLASS_ROWS));
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(n, D), new Random(1)),
                y, NDArray.of(Shape.of(n), 0, 1, 0, 2, 1, 2, 0));
        assertChunksGiveTheWholeGraph(graph, feeds, "pair loss", 1, 3, n);
        // on the device the int labels are read as floats by the chunks (row and column values alike)
        DeviceComparison.roundToFloat(feeds);
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), 3, loss, g[0])) {
            NDArray[] device = e.run(feeds);
            var disagreement = InterpreterAgreement.check(graph, feeds, device, new Random(2));
            assertTrue(disagreement.isEmpty(), () -> "pair loss on the device: " + disagreement.get());
        }
    }

    /**
     * W's normalisation before the product and the way from grad Ŵ back to grad W through it are
     * computed class by class in the chunks: no stage between the passes holds a [C, D] value but W
     * as fed and grad W as the chunks put it together, no chunk graph holds a [C, D] value at all,
     * and the class rows grad Ŵ are never put together whole.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void wSizedValuesAreComputedClassByClass(Head head) {
        Problem p = problem(head, 1);
        Graph g = Graph.of(p.loss(), p.gx(), p.gw());
        ChunkedPlan plan = ChunkedPlan.of(g, 4).orElseThrow();
        ClassRegion r = plan.region();
        assertEquals(1, r.chunkOnly().size(), "grad Ŵ stays in the chunks: " + r.consumers());
        assertEquals(1L, r.consumerKinds().get(ClassRegion.Kind.PER_CLASS), "grad W, rows per chunk: " + r.consumers());
        assertTrue(r.recomputed().contains(p.gw().tape().nodes().stream().filter(t -> t.name().equals("w")).findFirst().orElseThrow()));
        Shape wShape = Shape.of(C * head.centres(), D);
        for (Graph piece : plan.graphs()) {
            boolean chunk = plan.chunkGraphs().contains(piece);
            for (Tensor t : piece.nodes()) {
                if (t.shape().equals(wShape)) {
                    assertTrue(!chunk && t.op() == Op.INPUT, head + ": " + t.describe() + " in " + (chunk ? "a chunk graph" : "a stage"));
                }
            }
        }
    }

    /**
     * Logits that read a value computed from grad W (a per-class penalty ‖grad W_c‖² added to column
     * c) need grad W before a later pass over the same columns, so grad W cannot be computed after
     * the class rows of the chunks: the finder keeps the values after the rows outside, and the
     * chunked result still equals the whole graph.
     */
    @Test
    void valuesAfterTheRowsThatTheRegionReadsStayOutside() {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor y = t.labels("y", N);
        Tensor logits = new CosFace(30, 0.35).logits(x, w, y);
        Tensor gw = t.grad(Functional.crossEntropy(logits, y), w)[0];
        Tensor penalised = logits.add(gw.square().sum(1, true).reshape(1, C));
        Graph g = Graph.of(Functional.crossEntropy(penalised, y));
        ClassRegion region = ClassRegionFinder.find(g).region().orElseThrow();
        assertTrue(region.afterRows().isEmpty(), region.afterRows().toString());
        assertTrue(region.chunkOnly().isEmpty(), region.chunkOnly().toString());
        assertTrue(region.passes() >= 3, "the penalty needs the backward pass first: " + region.consumers());
        Random r = new Random(4);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(N, D), r), w, NDArray.gaussian(Shape.of(C, D), r),
                y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        assertChunksGiveTheWholeGraph(g, feeds, "penalised loss", 1, 4, C);
    }

    /**
     * The online log-sum-exp at scales where the sums of earlier chunks must be rescaled to nothing:
     * s = 1000 puts a row's logits hundreds apart, the label's class (with the row's largest logit
     * often) sits in the last chunk or the first, and exp(old max − new max) underflows to 0. The
     * chunked loss and gradients equal the whole graph's in fp64 for chunks of 1, 4 and 13, and on
     * the device under both plans agree with the interpreter.
     */
    @ParameterizedTest(name = "{0} plan")
    @org.junit.jupiter.params.provider.EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void onlineLogSumExpHoldsWhereEarlierChunksVanish(PlanChoice plan) {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor y = t.labels("y", N);
        Tensor loss = Functional.crossEntropy(new CosFace(1000, 0.35).logits(x, w, y), y);
        Tensor[] g = t.grad(loss, x, w);
        Graph graph = Graph.of(loss, g[0], g[1]);
        Random r = new Random(8);
        NDArray xs = NDArray.gaussian(Shape.of(N, D), r);
        NDArray ws = NDArray.gaussian(Shape.of(C, D), r);
        for (int d = 0; d < D; d++) { // W's last row is x's first: row 0's largest logit comes in the last chunk
            ws.data()[(C - 1) * D + d] = xs.data()[d];
        }
        Map<Tensor, NDArray> feeds = DeviceComparison.roundToFloat(new HashMap<>(Map.of(x, xs, w, ws,
                y, NDArray.of(Shape.of(N), C - 1, 0, 3, 3, 7, 12))));
        assertChunksGiveTheWholeGraph(graph, feeds, "s = 1000", 1, 4, C);
        assertChunkedDeviceAgrees(graph, feeds, plan);
    }

    @Test
    void aLabelOutsideTheClassesIsRefusedAsTheWholeGraphRefusesIt() {
        Problem p = problem(of("arcface", new ArcFace()), 1);
        Graph g = Graph.of(p.loss(), p.gx(), p.gw());
        for (double bad : new double[] {C, -1, 2.5}) {
            Map<Tensor, NDArray> feeds = new HashMap<>(p.feeds());
            Tensor labels = feeds.keySet().stream().filter(t -> t.name().equals("y")).findFirst().orElseThrow();
            feeds.put(labels, NDArray.of(Shape.of(N), 0, 1, 2, bad, 4, 5));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ChunkedInterpreter.run(g, feeds, 4));
            assertTrue(e.getMessage().contains("label " + bad + " at index 3 is outside [0, " + C + ")"), e.getMessage());
        }
        // the device form too: fed labels and labels in a bound buffer (checked from one download), in
        // every run, a good run before and after
        Tensor y = p.feeds().keySet().stream().filter(t -> t.name().equals("y")).findFirst().orElseThrow();
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), 4, p.loss(), p.gx(), p.gw())) {
            NDArray goodLoss = e.run(p.feeds())[0];
            for (int bad : new int[] {C, -1}) {
                String expected = "label " + (double) bad + " at index 3 is outside [0, " + C + ")";
                Map<Tensor, NDArray> feeds = new HashMap<>(p.feeds());
                feeds.put(y, NDArray.of(Shape.of(N), 0, 1, 2, bad, 4, 5));
                IllegalArgumentException fed = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> e.run(feeds));
                assertTrue(fed.getMessage().contains(expected), fed.getMessage());
                DeviceBuffer bound = SharedDevice.context().upload("bad labels", new int[] {0, 1, 2, bad, 4, 5});
                try {
                    e.bind(y, bound);
                    IllegalArgumentException read = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e::run);
                    assertTrue(read.getMessage().contains(expected), read.getMessage());
                } finally {
                    bound.release();
                }
                assertEquals(goodLoss.data()[0], e.run(p.feeds())[0].data()[0], "a good run after the refused ones");
            }
        }
    }

    /**
     * Feeding or binding the chunked path is checked as feeding the whole graph is: a non-source, a
     * wrong type, a wrong length.
     */
    @Test
    void feedsAreRefusedAsTheWholeGraphRefusesThem() {
        Problem p = problem(of("arcface", new ArcFace()), 1);
        Tensor x = p.feeds().keySet().stream().filter(t -> t.name().equals("x")).findFirst().orElseThrow();
        Tensor y = p.feeds().keySet().stream().filter(t -> t.name().equals("y")).findFirst().orElseThrow();
        DeviceBuffer three = SharedDevice.context().floatBuffer("three floats", 3);
        try (ChunkedExecutable chunked = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), 4,
                p.loss(), p.gx(), p.gw());
             Executable whole = Executable.compile(SharedDevice.context(), p.loss(), p.gx(), p.gw())) {
            List<Function<CompiledGraph, Object>> bad = List.of(
                    g -> g.feed(p.logits(), new float[(int) p.logits().shape().numel()]), // not a source
                    g -> g.feed(x, new float[3]), // too short
                    g -> g.feed(x, new int[(int) x.shape().numel()]), // labels into a float source
                    g -> g.feed(y, new int[N + 1]), // too long
                    g -> g.feed(y, new float[N]), // floats into labels
                    g -> g.bind(x, three), // a device buffer too short
                    g -> g.bind(p.logits(), three)); // a device buffer for a non-source
            for (Function<CompiledGraph, Object> feed : bad) {
                String wholeSays = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> feed.apply(whole)).getMessage();
                String chunkedSays = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> feed.apply(chunked)).getMessage();
                assertEquals(wholeSays, chunkedSays);
            }
        } finally {
            three.release();
        }
    }

    /** Binding a source again releases the buffer the executable made for a feed, never one a caller bound. */
    @Test
    void bindingASourceAgainLeavesTheCallersBufferAlone() {
        Problem p = problem(of("arcface", new ArcFace()), 1);
        Tensor x = p.feeds().keySet().stream().filter(t -> t.name().equals("x")).findFirst().orElseThrow();
        float[] values = new float[(int) x.shape().numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) p.feeds().get(x).data()[i];
        }
        DeviceBuffer first = SharedDevice.context().upload("the caller's x", values);
        DeviceBuffer second = SharedDevice.context().upload("the caller's other x", values);
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), 4,
                p.loss(), p.gx(), p.gw())) {
            p.feeds().forEach(e::feed); // x's values in a buffer of the executable's
            e.bind(x, first); // which this releases
            e.bind(x, second); // this one must not release the caller's first buffer
            org.junit.jupiter.api.Assertions.assertArrayEquals(values, first.downloadFloats());
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void noRegionWhenTheLogitsAreAnOutputOrAClassIsNotOneRunOfColumns() {
        Problem p = problem(of("arcface", new ArcFace()), 1);
        var finding = ClassRegionFinder.find(Graph.of(p.loss(), p.gx(), p.gw(), p.logits()));
        assertTrue(finding.region().isEmpty());
        assertTrue(finding.refusal().contains("is an N×C output of the graph"), finding.refusal());

        // centres in centre-major order (row k·C + c of W), the product viewed as [N, K, C] and reduced over
        // the centres (axis 1): a class's columns are not one run of a row, so no chunk of classes exists
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C * 3, D);
        Tensor y = t.labels("y", N);
        Tensor centreMajor = Functional.normalize(x).matmul(Functional.normalize(w).transpose()).reshape(N, 3, C).max(1, false);
        var sub = ClassRegionFinder.find(Graph.of(Functional.crossEntropy(centreMajor.mul(30.0), y)));
        assertTrue(sub.region().isEmpty());
        assertTrue(sub.refusal().startsWith("%") && sub.refusal().contains("max [6, 1, 13]")
                && sub.refusal().contains("does not split by columns"), sub.refusal());

        // one row: a row value [1, 1] and a column value [1, C] would look like members; the graph stays whole
        Tape t1 = new Tape();
        Tensor x1 = t1.param("x", 1, D);
        Tensor w1 = t1.param("w", C, D);
        Tensor y1 = t1.labels("y", 1);
        var oneRow = ClassRegionFinder.find(Graph.of(Functional.crossEntropy(x1.matmul(w1.transpose()), y1)));
        assertTrue(oneRow.region().isEmpty());
        assertTrue(oneRow.refusal().endsWith("has a single row or column; nothing to split"), oneRow.refusal());

        // a whole N×C input multiplied into the logits (a user's mask): not a row, column or scalar value
        Tape t2 = new Tape();
        Tensor x2 = t2.param("x", N, D);
        Tensor w2 = t2.param("w", C, D);
        Tensor y2 = t2.labels("y", N);
        Tensor mask = t2.input("mask", N, C);
        Tensor loss2 = Functional.crossEntropy(Functional.normalize(x2).matmul(Functional.normalize(w2).transpose()).mul(mask), y2);
        var masked = ClassRegionFinder.find(Graph.of(loss2));
        assertTrue(masked.region().isEmpty());
        assertTrue(masked.refusal().contains("reads %" + mask.id() + " = input [6, 13] \"mask\", which is neither a row value [6, 1],"
                + " a column value [13] nor a scalar"), masked.refusal());

        // the logits transposed and summed over the batch: a use of the transpose that no chunk gives
        Tape t3 = new Tape();
        Tensor x3 = t3.param("x", N, D);
        Tensor w3 = t3.param("w", C, D);
        Tensor cos = x3.matmul(w3.transpose()).mul(2.0);
        var transposed = ClassRegionFinder.find(Graph.of(cos.transpose().sum(1, true)));
        assertTrue(transposed.region().isEmpty());
        assertTrue(transposed.refusal().contains("transpose") && transposed.refusal().contains("does not split by columns"),
                transposed.refusal());
    }

    @Test
    void aLearnedPerClassBiasIsAColumnValueAndItsGradientAColumnSum() {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor bias = t.param("bias", C);
        Tensor y = t.labels("y", N);
        Tensor loss = Functional.crossEntropy(
                Functional.normalize(x).matmul(Functional.normalize(w).transpose()).add(bias).mul(8.0), y);
        Tensor[] g = t.grad(loss, x, w, bias);
        Graph graph = Graph.of(loss, g[0], g[1], g[2]);
        ClassRegion r = ClassRegionFinder.find(graph).region().orElseThrow();
        assertEquals(1L, r.consumerKinds().get(ClassRegion.Kind.COLUMN_SUM), r.consumerKinds().toString());
        Random random = new Random(8);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(N, D), random), w, NDArray.gaussian(Shape.of(C, D), random),
                bias, NDArray.gaussian(Shape.of(C), random), y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        assertChunksGiveTheWholeGraph(graph, feeds, "with a bias", 5);
        // the plan's pieces: per pass a stage when it reads something new, and chunk graphs for 5 and for the last 3 columns
        ChunkedPlan plan = ChunkedPlan.of(graph, 5).orElseThrow();
        assertEquals(4, plan.chunkGraphs().size()); // two passes (the max and the sum of exp together, then backward)
        assertEquals(5, plan.chunkWidth());
        assertEquals(r.passes(), plan.region().passes());
        assertTrue(plan.graphs().containsAll(plan.chunkGraphs()) && plan.graphs().size() > plan.chunkGraphs().size());
    }

    /**
     * What users put around a margin: a learned scale of shape [1] and a learned offset of shape
     * [1, 1], a penalty on the mean square logit, and each row's largest cos − 2 as a value, with
     * logits (cos − 2 − 0.35 at the label)·100 − 0.25 all far below zero. Each chunk reads the
     * scalars whole (they are no column values, whose chunk would be a slice); the scalars'
     * gradients and the mean sum every element of an N×C value (autodiff flattens it to [N·C] and
     * sums), which the chunks add up as running totals; the mean's gradient is its upstream scalar
     * broadcast to [N, C], which each chunk expands to its own columns; and on the device the
     * running max must start at −∞ (from 0, the sums of exp(z − 0) underflow to 0 and the row max
     * is 0). Chunks of 1, 4 and 13 give the whole graph's loss and gradients, the scalars'
     * included, and the device agrees with the interpreter under both plans.
     */
    @ParameterizedTest(name = "{0} plan")
    @org.junit.jupiter.params.provider.EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void learnedScalarsAMeanOverAllLogitsAndRowsBelowZeroSplitToo(PlanChoice plan) {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor scale = t.param("scale", 1);
        Tensor offset = t.param("offset", 1, 1);
        Tensor y = t.labels("y", N);
        Tensor below = Functional.normalize(x).matmul(Functional.normalize(w).transpose()).sub(2.0);
        Tensor logits = below.sub(Functional.oneHot(y, C).mul(0.35)).mul(scale).add(offset);
        Tensor loss = Functional.crossEntropy(logits, y).add(logits.square().mean().scale(1e-6)).add(below.max(1, true).mean());
        Tensor[] g = t.grad(loss, x, w, scale, offset);
        Graph graph = Graph.of(loss, g[0], g[1], g[2], g[3]);
        ClassRegion r = ClassRegionFinder.find(graph).region().orElseThrow(() -> new AssertionError(ClassRegionFinder.find(graph).refusal()));
        assertEquals(3L, r.consumerKinds().get(ClassRegion.Kind.TOTAL_SUM), r.consumerKinds().toString());
        Random random = new Random(18);
        Map<Tensor, NDArray> feeds = DeviceComparison.roundToFloat(new HashMap<>(Map.of(x, NDArray.gaussian(Shape.of(N, D), random),
                w, NDArray.gaussian(Shape.of(C, D), random), scale, NDArray.of(Shape.of(1), 100), offset, NDArray.of(Shape.of(1, 1), -0.25),
                y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12))));
        assertChunksGiveTheWholeGraph(graph, feeds, "learned scalars", 1, 4, C);
        assertChunkedDeviceAgrees(graph, feeds, plan);
    }

    /**
     * Per-feature gains g [1, D] that a user multiplies into every class's weights before the
     * normalisation (Ŵ = normalize(W ⊙ g)): g is one row for all classes, not a value with one row
     * per class, so no chunk takes a slice of it. Chunks of 1, 4 and 13 give the whole graph's loss
     * and gradients, g's included.
     */
    @Test
    void perFeatureGainsSharedByAllClassesAreNoPerClassValue() {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor gains = t.param("gains", 1, D);
        Tensor y = t.labels("y", N);
        Tensor cos = Functional.normalize(x).matmul(Functional.normalize(w.mul(gains)).transpose());
        Tensor loss = Functional.crossEntropy(cos.sub(Functional.oneHot(y, C).mul(0.35)).mul(8.0), y);
        Tensor[] g = t.grad(loss, x, w, gains);
        Graph graph = Graph.of(loss, g[0], g[1], g[2]);
        assertTrue(ClassRegionFinder.find(graph).region().isPresent(), ClassRegionFinder.find(graph).refusal());
        Random random = new Random(16);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(N, D), random), w, NDArray.gaussian(Shape.of(C, D), random),
                gains, NDArray.gaussian(Shape.of(1, D), random), y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        assertChunksGiveTheWholeGraph(graph, feeds, "gains", 1, 4, C);
    }

    /**
     * What users write beside one head: two cross-entropies over the same cosines at two scales (two
     * online log-sum-exps in one pass, each sum with its own max), plus the mean of each row's
     * largest cos − 2, a row max used as a value and below zero everywhere (its running total must
     * start at −∞, not 0); and logits from two weight matrices, x̂·Ŵ1ᵀ + x̂·Ŵ2ᵀ (two products in the
     * region). Chunks of 1, 4 and 13 give the whole graph's loss and gradients.
     */
    @Test
    void twoLogSumExpsARowMaxAsAValueAndTwoProductsSplitToo() {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w1 = t.param("w1", C, D);
        Tensor w2 = t.param("w2", C, D);
        Tensor y = t.labels("y", N);
        Tensor xn = Functional.normalize(x);
        Tensor cos = xn.matmul(Functional.normalize(w1).transpose()).add(xn.matmul(Functional.normalize(w2).transpose())).scale(0.5);
        Tensor loss = Functional.crossEntropy(cos.mul(8.0), y).add(Functional.crossEntropy(cos.mul(30.0), y))
                .add(cos.sub(2.0).max(1, true).mean());
        Tensor[] g = t.grad(loss, x, w1, w2);
        Graph graph = Graph.of(loss, g[0], g[1], g[2]);
        ClassRegion r = ClassRegionFinder.find(graph).region().orElseThrow();
        assertEquals(2, r.products().size(), r.members().toString());
        assertEquals(2L, r.consumerKinds().get(ClassRegion.Kind.ROW_SUM_EXP), r.consumerKinds().toString());
        assertEquals(3L, r.consumerKinds().get(ClassRegion.Kind.ROW_MAX), r.consumerKinds().toString());
        Random random = new Random(12);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(N, D), random), w1, NDArray.gaussian(Shape.of(C, D), random),
                w2, NDArray.gaussian(Shape.of(C, D), random), y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        assertChunksGiveTheWholeGraph(graph, feeds, "two log-sum-exps", 1, 4, C);
    }

    /**
     * Values the chunks must not take for class-by-class ones: a product x·V with V [D, C] (not a
     * transpose of class rows) beside the cosines is refused by name; Ŵ = normalize(W·M) with M a
     * shared [D, D] matrix is computed whole outside the region (row c of W·M needs all of M), and
     * chunks still give the whole graph's loss and gradients, M's included.
     */
    @Test
    void aProductThatIsNotByClassRowsStaysOutOfTheChunks() {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C, D);
        Tensor v = t.param("v", D, C);
        Tensor y = t.labels("y", N);
        Tensor cos = Functional.normalize(x).matmul(Functional.normalize(w).transpose());
        var byColumns = ClassRegionFinder.find(Graph.of(Functional.crossEntropy(cos.add(x.matmul(v)).mul(8.0), y)));
        assertTrue(byColumns.region().isEmpty());
        assertTrue(byColumns.refusal().contains("matmul [6, 13]") && byColumns.refusal().contains("neither a row value"),
                byColumns.refusal());

        Tensor m = t.param("m", D, D);
        Tensor projected = Functional.normalize(x).matmul(Functional.normalize(w.matmul(m)).transpose());
        Tensor loss = Functional.crossEntropy(projected.mul(8.0), y);
        Tensor[] g = t.grad(loss, x, w, m);
        Graph graph = Graph.of(loss, g[0], g[1], g[2]);
        ClassRegion r = ClassRegionFinder.find(graph).region().orElseThrow();
        assertTrue(r.recomputed().stream().noneMatch(n -> n.op() == Op.MATMUL), r.recomputed().toString());
        Random random = new Random(13);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(Shape.of(N, D), random), w, NDArray.gaussian(Shape.of(C, D), random),
                m, NDArray.gaussian(Shape.of(D, D), random), y, NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12));
        assertChunksGiveTheWholeGraph(graph, feeds, "W·M", 1, 4, C);
    }

    /** The chunked executable (chunks of 4) under {@code plan} on the device agrees with the interpreter on every output. */
    static void assertChunkedDeviceAgrees(Graph graph, Map<Tensor, NDArray> feeds, PlanChoice plan) {
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), 4,
                graph.outputs().toArray(new Tensor[0]))) {
            NDArray[] device = e.run(feeds);
            var disagreement = InterpreterAgreement.check(graph, feeds, device, new Random(9));
            assertTrue(disagreement.isEmpty(), () -> plan + ": " + disagreement.get());
        }
    }

    /** The chunked plan in fp64 gives the whole graph's outputs, to fp64 rounding, for each chunk width. */
    static void assertChunksGiveTheWholeGraph(Graph graph, Map<Tensor, NDArray> feeds, String what, int... widths) {
        NDArray[] whole = Interpreter.run(graph, feeds);
        for (int width : widths) {
            NDArray[] chunked = ChunkedInterpreter.run(graph, feeds, width);
            for (int k = 0; k < whole.length; k++) {
                assertClose(whole[k], chunked[k], what + ", chunks of " + width + ", output " + k);
            }
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.data();
        double[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.abs(e[i]));
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + " [" + i + "]: " + e[i] + " vs " + a[i] + List.of());
        }
    }
}
