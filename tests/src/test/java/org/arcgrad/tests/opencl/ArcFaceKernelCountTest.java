package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;

/**
 * Pins how many kernels the seed's ArcFace head + cross-entropy, forward and backward, compiles
 * to, so that fusion cannot silently regress. If a change lowers the count, lower it here; if it
 * raises it, that needs a reason. (No device is needed: this only plans.)
 */
class ArcFaceKernelCountTest {
    private static Map<String, Integer> kinds(DeviceType type) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 256, 512);
        Tensor w = tape.param("w", 10_000, 512);
        Tensor y = tape.labels("y", 256);
        Tensor loss = Functional.crossEntropy(new ArcFace().logits(x, w, y), y);
        Tensor[] g = tape.grad(loss, x, w);
        KernelPlan plan = KernelPlan.of(Graph.of(loss, g[0], g[1]), DeviceLimits.typical(type));
        Map<String, Integer> kinds = new TreeMap<>();
        for (KernelSpec k : plan.kernels()) {
            kinds.merge(k.kind(), 1, Integer::sum);
        }
        return kinds;
    }

    @Test
    void arcFaceForwardAndBackwardKernelCount() {
        // forward: 2 normalizes (sum of squares + scaled copy each), cos GEMM, row max, row sum-exp,
        //          label gather, sum over rows, its scale by 1/N (the loss)
        // backward: d cos (elementwise, the only N×C write), 2 GEMMs, 2 normalize backwards (reduce + elementwise each)
        // on a CPU, each normalize and each normalize backward is one row kernel (the row's reduction, then the
        // elementwise pass over the same row: 4 kernels for 8); the cos GEMM (10 000 columns) runs as TT over a
        // transposed copy of x̂ (one kernel more, 25 % faster), and G·W (256×512, K = 10 000) in four 256×128 tiles
        // (4 work-groups, under 16), so split along K (two kernels for one)
        Map<String, Integer> cpu = kinds(DeviceType.CPU);
        assertEquals(Map.of("elementwise", 2, "reduce", 3, "row", 4, "gather", 1, "gemm", 2, "gemm-partial", 1, "split-k-sum", 1,
                "transposed-copy", 1), cpu, cpu.toString());
        assertEquals(15, cpu.values().stream().mapToInt(Integer::intValue).sum());
    }

    /**
     * On a GPU, G·W (256×512, K = 10 000: 128 tiles of 32×32) is split along K: its partial products
     * and their sum. The cos GEMM takes the row max and the row sum of exp into its output stage,
     * Gᵀ·x̂ the row sum of the normalization's gradient (three reductions for two merges: {@code RowFolds}).
     */
    @Test
    void onAGpuTheInputGradientIsSplitAlongK() {
        Map<String, Integer> gpu = kinds(DeviceType.GPU);
        assertEquals(Map.of("elementwise", 6, "reduce", 4, "gather", 1, "gemm-fold", 2, "fold-merge", 2, "gemm-partial", 1,
                "split-k-sum", 1), gpu, gpu.toString());
    }
}
