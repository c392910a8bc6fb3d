package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.fused.ChunkedPlan;
import org.arcgrad.tests.fused.ChunkedRegionTest.Training;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward takes the product x̂·Ŵᵀ that forward computed, kept chunk by chunk in grad W's buffer
 * (or another output that the backward pass writes) until backward has read it, instead of
 * computing it again: for every head of {@link ChunkedRegionTest} with N ≤ D, the backward pass's
 * chunk graphs hold no product, the results are the whole graph's in fp64 and on the device under
 * both kernel plans, run after run (each run writes the host buffer it keeps the product in), and
 * where the host is a training step's new W, whose buffer changes places with W's at every run.
 */
class KeptProductTest {
    private static final int N = 6;
    /**
     * Features: 8, or more where the device aligns views more coarsely than PoCL's and Oclgrind's
     * 128 bytes, so that a chunk of {@link #WIDTH} classes starts at an aligned offset of grad W
     * (16 · D bytes a chunk) and the device keeps the product in place.
     */
    private static final int D = (int) Math.max(8, SharedDevice.context().baseAddressAlignBytes() / 16);
    private static final int C = 13;
    private static final int WIDTH = 4;

    private static Training problem(Object head, int features) {
        return ChunkedRegionTest.training((ChunkedRegionTest.Head) head, features);
    }

    /** Seeded values for a problem's x, W and labels, rounded to fp32 (both sides read the device's inputs). */
    private static Map<Tensor, NDArray> feeds(Training p, long seed) {
        Random r = new Random(seed);
        return DeviceComparison.roundToFloat(new HashMap<>(Map.of(p.x(), NDArray.gaussian(p.x().shape(), r),
                p.w(), NDArray.gaussian(p.w().shape(), r), p.y(), NDArray.of(Shape.of(N), 0, C - 1, 3, 3, 7, 12))));
    }

    static Stream<Arguments> heads() {
        return ChunkedRegionTest.heads();
    }

    static Stream<Arguments> headsAndPlans() {
        return ChunkedRegionTest.headsAndPlans();
    }

    /** How many products x̂·Ŵᵀ ([N, columns]) the plan's chunk graphs compute, over all passes. */
    private static int productsIn(ChunkedPlan plan) {
        int products = 0;
        for (Graph chunk : plan.chunkGraphs()) {
            for (Tensor t : chunk.nodes()) {
                if (t.op() == Op.MATMUL && t.shape().dim(0) == N && t.input(1).op() == Op.TRANSPOSE) {
                    products++;
                }
            }
        }
        return products;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void backwardTakesForwardsProductAndTheNumbersStayTheWholeGraphs(ChunkedRegionTest.Head head) {
        Training p = problem(head, D);
        ChunkedPlan kept = ChunkedPlan.of(p.graph(), WIDTH).orElseThrow();
        ChunkedPlan recomputed = ChunkedPlan.of(p.graph(), WIDTH, false).orElseThrow();
        assertEquals(1, kept.keptProducts(), head.toString());
        assertEquals(0, recomputed.keptProducts());
        // two passes, each with a graph for chunks of 4 and one for the short last chunk of 1
        assertEquals(4, productsIn(recomputed), head + ": x̂·Ŵᵀ in every chunk graph");
        assertEquals(2, productsIn(kept), head + ": x̂·Ŵᵀ in forward's chunk graphs only");
        for (long seed = 1; seed <= 2; seed++) {
            ChunkedRegionTest.assertChunksGiveTheWholeGraph(p.graph(), feeds(p, seed), head + ", seed " + seed, 1, WIDTH, C);
        }
    }

    /** With as many rows as features the product fills the chunk's rows of grad W exactly: it is kept. */
    @Test
    void withAsManyRowsAsFeaturesGradWHoldsTheProductExactly() {
        Training p = problem(ChunkedRegionTest.heads().findFirst().orElseThrow().get()[0], N);
        ChunkedPlan plan = ChunkedPlan.of(p.graph(), WIDTH).orElseThrow();
        assertEquals(1, plan.keptProducts());
        assertEquals(2, productsIn(plan));
    }

    @Test
    void withMoreRowsThanFeaturesNoOutputCanHoldTheProductAndBackwardComputesItAgain() {
        Training p = problem(ChunkedRegionTest.heads().findFirst().orElseThrow().get()[0], N - 1);
        ChunkedPlan plan = ChunkedPlan.of(p.graph(), WIDTH).orElseThrow();
        assertEquals(0, plan.keptProducts());
        assertEquals(4, productsIn(plan));
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("headsAndPlans")
    void onTheDeviceTheKeptProductGivesTheWholeGraphsNumbersRunAfterRun(ChunkedRegionTest.Head head, PlanChoice plan) {
        Training p = problem(head, D);
        // chunks of 4 start at aligned offsets of grad W: the product is kept in place; chunks of 3 (12 · K · D
        // bytes) mostly not, where the executable computes it again rather than copy it in and out
        for (int width : new int[] {WIDTH, 3}) {
            try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), width,
                    p.loss(), p.gx(), p.gw())) {
                boolean inPlace = 4L * width * head.centres() * D % SharedDevice.context().baseAddressAlignBytes() == 0;
                assertEquals(inPlace ? 1 : 0, e.plan().keptProducts(), "chunks of " + width);
                for (long seed = 1; seed <= 2; seed++) { // the second run finds the first's grad W where it keeps the product
                    Map<Tensor, NDArray> feeds = feeds(p, seed);
                    NDArray[] device = e.run(feeds);
                    var disagreement = InterpreterAgreement.check(p.graph(), feeds, device, new Random(9));
                    String at = "chunks of " + width + ", run " + seed;
                    assertTrue(disagreement.isEmpty(), () -> head + ", " + plan + ", " + at + ": " + disagreement.get());
                }
            }
        }
    }

    /**
     * A training step's graph, its outputs the loss and W − 0.1 · grad W, which takes W's place
     * after each run: the new W is where the product waits (the only output backward writes
     * class by class), and its buffer is W's of the run before. Three runs each agree with the
     * interpreter fed the W the run started from.
     */
    @ParameterizedTest(name = "{0} plan")
    @org.junit.jupiter.params.provider.EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void theProductWaitsInTheNewWeightsOfATrainingStep(PlanChoice plan) {
        Training p = problem(ChunkedRegionTest.heads().findFirst().orElseThrow().get()[0], D);
        Tensor next = p.w().sub(p.gw().mul(0.1));
        Graph step = Graph.of(p.loss(), next);
        Map<Tensor, NDArray> feeds = feeds(p, 3);
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), WIDTH,
                p.loss(), next)) {
            assertEquals(1, e.plan().keptProducts());
            feeds.forEach(e::feed);
            e.update(p.w(), next);
            for (int run = 1; run <= 3; run++) {
                float[] w = e.buffer(p.w()).downloadFloats();
                Map<Tensor, NDArray> now = new HashMap<>(feeds);
                double[] wd = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    wd[i] = w[i];
                }
                now.put(p.w(), NDArray.of(p.w().shape(), wd));
                e.run();
                NDArray[] device = {e.read(p.loss()), e.read(next)};
                var disagreement = InterpreterAgreement.check(step, now, device, new Random(9));
                int at = run;
                assertTrue(disagreement.isEmpty(), () -> plan + ", run " + at + ": " + disagreement.get());
            }
        }
    }

    /**
     * A caller who feeds the new W back by binding W to the output's buffer, instead of {@link
     * ChunkedExecutable#update}: that buffer is where forward would keep its products, over the W
     * that backward still reads, so it becomes W's alone and the product waits in a new one.
     */
    @Test
    void anOutputBoundAsASourceIsNotWhereTheProductWaits() {
        Training p = problem(ChunkedRegionTest.heads().findFirst().orElseThrow().get()[0], D);
        Tensor next = p.w().sub(p.gw().mul(0.1));
        Graph step = Graph.of(p.loss(), next);
        Map<Tensor, NDArray> feeds = feeds(p, 4);
        try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults(), WIDTH, p.loss(), next)) {
            assertEquals(1, e.plan().keptProducts());
            feeds.forEach(e::feed);
            e.run();
            Map<Tensor, NDArray> now = new HashMap<>(feeds);
            now.put(p.w(), e.read(next));
            e.bind(p.w(), e.buffer(next));
            e.run();
            NDArray[] device = {e.read(p.loss()), e.read(next)};
            var disagreement = InterpreterAgreement.check(step, now, device, new Random(9));
            assertTrue(disagreement.isEmpty(), () -> disagreement.get().toString());
        }
    }
}
