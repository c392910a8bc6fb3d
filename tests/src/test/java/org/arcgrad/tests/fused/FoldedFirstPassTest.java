package org.arcgrad.tests.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.fused.ChunkedPlan;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10's fused forward on GPU plans: each chunk's first pass, the product x·Ŵᵀ with the margin
 * f and the online log-sum-exp, is one GEMM whose output stage computes f from the product, the
 * labels and the per-row values and folds each row into its running max, sum of exp and label
 * logit, then one merge of the work-groups' partials ({@code gemm-fold}, {@code fold-merge}); no
 * other kernel reads the chunk's product in that pass. A sub-center head's GEMM runs its loop over
 * the depth once per centre and folds each class's max over its centres (and stores it beside the
 * product). For every margin head and a margin written from primitives, at sizes with edge tiles
 * and a short last chunk, the loss and gradients of the chunked step under the GPU plan agree with
 * the same step under the CPU plan (the unfused path: a row kernel after the product) and with the
 * whole graph in the fp64 interpreter.
 */
class FoldedFirstPassTest {
    private static final int N = 40;
    private static final int D = 12;
    private static final int C = 300;
    private static final int WIDTH = 128;

    private record Problem(Tensor loss, Tensor gx, Tensor gw, Map<Tensor, NDArray> feeds) {
    }

    private static Problem problem(ChunkedRegionTest.Head head) {
        Tape t = new Tape();
        Tensor x = t.param("x", N, D);
        Tensor w = t.param("w", C * head.centres(), D);
        Tensor y = t.labels("y", N);
        Tensor loss = Functional.crossEntropy(head.logits().apply(new Tensor[] {x, w, y}), y);
        Tensor[] g = t.grad(loss, x, w);
        Random r = new Random(3);
        double[] labels = new double[N];
        for (int i = 0; i < N; i++) {
            labels[i] = r.nextInt(C);
        }
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(x, NDArray.gaussian(Shape.of(N, D), r));
        feeds.put(w, NDArray.gaussian(Shape.of(C * head.centres(), D), r));
        feeds.put(y, NDArray.of(Shape.of(N), labels));
        return new Problem(loss, g[0], g[1], DeviceComparison.roundToFloat(feeds));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.arcgrad.tests.fused.ChunkedRegionTest#heads")
    void theFirstPassIsTheFoldedProductAndAgreesWithTheUnfusedPathAndTheInterpreter(ChunkedRegionTest.Head head) {
        Problem p = problem(head);
        Graph whole = Graph.of(p.loss(), p.gx(), p.gw());
        ChunkedPlan plan = ChunkedPlan.of(whole, WIDTH).orElseThrow();
        int folded = 0;
        for (Graph chunk : plan.chunkGraphs()) {
            List<KernelSpec> kernels = KernelPlan.of(chunk, DeviceLimits.typical(DeviceType.GPU)).kernels();
            for (int k = 0; k < kernels.size(); k++) {
                if (!kernels.get(k).kind().equals("gemm-fold")) {
                    continue;
                }
                List<Tensor> written = kernels.get(k).outputs();
                assertEquals("fold-merge", kernels.get(k + 1).kind());
                if (kernels.get(k + 1).outputs().stream().noneMatch(t -> t.op() == Op.MAX)) {
                    continue; // a backward product whose row sum folded (a normalization's gradient)
                }
                folded++;
                // the product, and with centres their max: kept for the second pass; in this pass no other kernel reads them
                assertEquals(head.centres() == 1 ? List.of(Op.MATMUL) : List.of(Op.MATMUL, Op.MAX), written.stream().map(Tensor::op).toList());
                assertTrue(kernels.stream().noneMatch(o -> written.stream().anyMatch(o.inputs()::contains)), head + ": " + kernels);
            }
        }
        assertEquals(2, folded, head + ": the first pass of a full chunk and of the short last one");
        NDArray[][] values = new NDArray[2][];
        int i = 0;
        for (PlanChoice choice : List.of(PlanChoice.GPU, PlanChoice.CPU)) {
            try (ChunkedExecutable e = ChunkedExecutable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(choice), WIDTH,
                    p.loss(), p.gx(), p.gw())) {
                values[i++] = e.run(p.feeds());
            }
        }
        for (int o = 0; o < 3; o++) {
            double[] gpu = values[0][o].data();
            double[] cpu = values[1][o].data();
            double scale = 0;
            for (double v : cpu) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < gpu.length; j++) {
                assertEquals(cpu[j], gpu[j], 1e-4 * Math.max(scale, 1e-3), head + ", output " + o + "[" + j + "]: fused against unfused");
            }
        }
        var disagreement = InterpreterAgreement.check(whole, p.feeds(), values[0], new Random(9));
        assertTrue(disagreement.isEmpty(), () -> head + ": " + disagreement.get());
    }
}
