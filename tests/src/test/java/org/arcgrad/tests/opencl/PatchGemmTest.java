package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.PatchGemm;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A one-group convolution's forward product on the CPU plan reads the image in place
 * ({@link PatchGemm}) instead of a stored patch matrix, and so does its input gradient at stride
 * 1 (no patch-gradient matrix, no col2im); the GPU plan keeps im2col, col2im and the tuned GEMM.
 * Each geometry takes its own paths through the kernel: whole vectors of consecutive addresses (stride 1, planes of 8×8 = 64 positions: four vectors an image), taps whose vectors
 * start before X or cross a row edge (padding), lanes read one by one (stride 2, dilation 2,
 * planes of 5×7 whose vectors cross images), a last partial column tile, output channels no
 * multiple of the tile's eight, one input channel, a 1×1 kernel, outputs of 1×1 (each vector
 * spans sixteen images) and 4 232 positions; at stride 2 (col2im on either plan), dilation 2 and a
 * 1×1 image whose last tap lies wholly in the padding. Values and gradients against the
 * interpreter, under both plans.
 */
class PatchGemmTest {
    /** N, C, H, W, O, KH, KW, stride, padding, dilation. */
    static Stream<Arguments> geometries() {
        List<int[]> g = List.of(
                new int[] {2, 3, 8, 8, 5, 3, 3, 1, 1, 1},
                new int[] {3, 2, 5, 7, 9, 3, 3, 1, 1, 1},
                new int[] {2, 4, 9, 6, 8, 3, 3, 2, 1, 1},
                new int[] {2, 2, 7, 7, 3, 3, 3, 1, 2, 2},
                new int[] {1, 1, 6, 6, 16, 3, 3, 1, 0, 1},
                new int[] {2, 5, 4, 4, 7, 1, 1, 1, 0, 1},
                new int[] {2, 3, 6, 5, 4, 2, 3, 2, 0, 1},
                new int[] {40, 2, 3, 3, 3, 3, 3, 1, 0, 1},
                new int[] {8, 2, 23, 23, 3, 3, 3, 1, 1, 1},
                new int[] {2, 3, 7, 6, 4, 3, 3, 2, 2, 2},
                new int[] {2, 2, 1, 1, 3, 3, 3, 2, 1, 1});
        List<Arguments> cases = new ArrayList<>();
        for (int[] geometry : g) {
            for (PlanChoice plan : List.of(PlanChoice.CPU, PlanChoice.GPU)) {
                cases.add(Arguments.of(java.util.Arrays.toString(geometry), geometry, plan));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "N,C,H,W,O,KH,KW,stride,padding,dilation = {0}, {2} plan")
    @MethodSource("geometries")
    void convolutionValuesAndGradientsAgreeWithTheInterpreter(String name, int[] g, PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", g[0], g[1], g[2], g[3]);
        Tensor w = tape.param("w", g[4], g[1], g[5], g[6]);
        Tensor y = x.conv2d(w, Conv2d.of(g[7], g[8], g[9], 1));
        Tensor cotangent = tape.input("cotangent", y.shape().dims());
        Tensor[] grads = tape.grad(y.mul(cotangent).sum(), x, w);
        Random random = new Random(name.hashCode());
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor t : List.of(x, w, cotangent)) {
            feeds.put(t, NDArray.uniform(t.shape(), -1, 1, random));
        }
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(y, grads[0], grads[1]), feeds, plan, random,
                List.of("conv2d", "grad x", "grad w")::get, tape.dump());
    }

    /**
     * The forward product is the implicit kernel on the CPU plan and no patch matrix is stored for
     * it; im2col and the GEMM on the GPU plan. A stride-1 convolution's input gradient is the
     * implicit kernel too (no col2im); a stride-2 one keeps the product and col2im.
     */
    @Test
    void theCpuPlanStoresNoPatchMatrixForTheForwardProductNorTheInputGradient() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2, 3, 8, 8);
        Tensor w = tape.param("w", 4, 3, 3, 3);
        Tensor y = x.conv2d(w, Conv2d.of(1, 1, 1, 1));
        List<String> cpu = kernelNames(KernelPlan.of(Graph.of(y), DeviceLimits.typical(DeviceType.CPU)));
        List<String> gpu = kernelNames(KernelPlan.of(Graph.of(y), DeviceLimits.typical(DeviceType.GPU)));
        assertEquals(List.of(PatchGemm.NAME), cpu.stream().filter(k -> !k.contains("permute")).toList(), cpu.toString());
        assertTrue(gpu.stream().anyMatch(k -> k.contains(Op.IM2COL.label())) && !gpu.contains(PatchGemm.NAME), gpu.toString());

        Tensor[] grads = tape.grad(y.square().sum(), x, w);
        List<String> backward = kernelNames(KernelPlan.of(Graph.of(grads), DeviceLimits.typical(DeviceType.CPU)));
        assertEquals(2, backward.stream().filter(PatchGemm.NAME::equals).count(), backward.toString());
        assertTrue(backward.stream().noneMatch(k -> k.contains(Op.COL2IM.label())), backward.toString());

        Tensor strided = x.conv2d(w, Conv2d.of(2, 1, 1, 1));
        Tensor gradStrided = tape.grad(strided.square().sum(), x)[0];
        List<String> stride2 = kernelNames(KernelPlan.of(Graph.of(gradStrided), DeviceLimits.typical(DeviceType.CPU)));
        assertTrue(stride2.stream().anyMatch(k -> k.contains(Op.COL2IM.label())), stride2.toString());
    }

    private static List<String> kernelNames(KernelPlan plan) {
        return plan.kernels().stream().map(KernelSpec::name).toList();
    }
}
