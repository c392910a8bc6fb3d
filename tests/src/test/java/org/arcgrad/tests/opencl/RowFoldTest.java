package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Row reductions folded into their product's GEMM on GPU plans ({@code gemm-fold}, then the
 * {@code fold-merge} of the work-groups' partials): the kernels the plan makes, pinned, so that a
 * case that should fold cannot pass by not folding; the values against the interpreter, under
 * both plans (the CPU plan, which does not fold, is the unfused path), at sizes with edge tiles,
 * with work-groups that walk several column tiles, and at edge values.
 */
class RowFoldTest {
    /** The kinds of the GPU plan's kernels, in launch order. */
    static List<String> gpuKinds(List<Tensor> outputs) {
        return KernelPlan.of(Graph.of(outputs.toArray(new Tensor[0])), DeviceLimits.typical(DeviceType.GPU)).kernels().stream()
                .map(KernelSpec::kind).toList();
    }

    /**
     * log_softmax(x·Wᵀ) and its gradients (the loss's rows: the max and the sum of exp shifted by the
     * detached max, folded; backward reads the product as usual): 1×1×1 (narrower than a column
     * tile: not folded), edge tiles (7×33×5, 70×131×19), and 2 048 × 1 000 × 8, where a work-group
     * walks two column tiles.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aLogSoftmaxOfAProductFoldsIntoItAndAgrees(PlanChoice plan) {
        for (int[] s : new int[][] {{1, 1, 1}, {7, 33, 5}, {70, 131, 19}, {2048, 1000, 8}}) {
            Tape tape = new Tape();
            Tensor x = tape.param("x", s[0], s[2]);
            Tensor w = tape.param("w", s[1], s[2]);
            Tensor g = tape.input("g", s[0], s[1]);
            Tensor out = Functional.logSoftmax(x.matmul(w.transpose()), 1);
            Tensor[] grads = tape.grad(out.mul(g).sum(), x, w);
            Random random = new Random(s[1]);
            Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(x.shape(), random), w, NDArray.gaussian(w.shape(), random),
                    g, NDArray.gaussian(g.shape(), random));
            List<Tensor> outputs = List.of(out, grads[0], grads[1]);
            if (plan == PlanChoice.GPU) {
                List<String> kinds = gpuKinds(List.of(out));
                // narrower than a column tile (32 on a GPU): no fold
                assertEquals(s[1] < 32 ? List.of("gemm", "reduce", "reduce", "elementwise")
                        : List.of("gemm-fold", "fold-merge", "elementwise"), kinds, Arrays.toString(s));
            }
            DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, new Random(7), k -> "output " + k, tape.dump());
        }
    }

    /**
     * A chunk's running log-sum-exp and a log-sum-exp over logits x·Wᵀ + E, E the rows that could
     * go wrong ({@link RunningLogSumExpEdges}: −∞ − −∞, +∞ − +∞, exp overflowing fp32 unshifted,
     * rising and falling across work-groups and work-items). On the GPU plan the whole of it is the
     * fold and its merge.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aFoldedRunningLogSumExpKeepsTheGraphsEdgeValues(PlanChoice plan) {
        RunningLogSumExpEdges c = RunningLogSumExpEdges.overAProduct(new Tape());
        if (plan == PlanChoice.GPU) {
            assertEquals(List.of("gemm-fold", "fold-merge"), gpuKinds(c.outputs()));
        }
        c.assertDeviceAgrees(plan);
    }

    /**
     * Where the fold must stop or not apply, the plan keeps the kernels and the values stay right: a
     * sum that reads the max otherwise than as an online shift (Σ (X − max)², after the folded max);
     * a max of the product read transposed (its rows are the product's columns); a reduction over
     * the product's columns.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void whereTheFoldDoesNotApplyTheValuesStayRight(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 24, 6);
        Tensor w = tape.input("w", 40, 6);
        Tensor product = x.matmul(w.transpose());
        Tensor rowMax = product.max(1, true);
        Tensor spread = product.sub(rowMax).square().sum(1, true);
        Tensor transposed = x.matmul(w.transpose()).transpose().max(1, true);
        Tensor columns = x.matmul(w.transpose()).sum(0, true);
        Random random = new Random(13);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.gaussian(x.shape(), random), w, NDArray.gaussian(w.shape(), random));
        List<List<Tensor>> cases = List.of(List.of(rowMax, spread), List.of(transposed), List.of(columns));
        List<List<String>> kinds = List.of(List.of("gemm-fold", "fold-merge", "reduce"), List.of("gemm", "reduce"), List.of("gemm", "reduce"));
        for (int c = 0; c < cases.size(); c++) {
            if (plan == PlanChoice.GPU) {
                assertEquals(kinds.get(c), gpuKinds(cases.get(c)), "case " + c);
            }
            DeviceAgreement.assertDeviceMatchesInterpreter(cases.get(c), feeds, plan, new Random(7), k -> "output " + k, tape.dump());
        }
    }

    /** The CPU plan keeps its row kernels (they measured as fast as the fold would be there): no fold. */
    @Test
    void theCpuPlanDoesNotFold() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 64, 16);
        Tensor w = tape.input("w", 100, 16);
        Tensor out = Functional.logSoftmax(x.matmul(w.transpose()), 1);
        List<String> kinds = KernelPlan.of(Graph.of(out), DeviceLimits.typical(DeviceType.CPU)).kernels().stream().map(KernelSpec::kind)
                .toList();
        assertFalse(kinds.contains("gemm-fold"), kinds.toString());
    }
}
