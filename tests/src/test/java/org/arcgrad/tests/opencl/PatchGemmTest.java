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
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.PatchGemm;
import org.arcgrad.opencl.gemm.PatchWeightGradient;
import org.arcgrad.opencl.gemm.PhaseSplit;
import org.arcgrad.opencl.gemm.PlaneConvolution;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A one-group convolution's products on the CPU plan read the image in place instead of a stored
 * patch matrix; the GPU plan keeps im2col, col2im and the tuned GEMM. Where a stride-1
 * convolution keeps its planes' size, its forward product and input gradient are
 * {@link PlaneConvolution}s and its weight gradient a {@link PatchWeightGradient}; other
 * geometries take {@link PatchGemm} forward (and at stride 1 for the input gradient), col2im at
 * stride 2, and im2col for the weight gradient. Each geometry takes its own paths: whole vectors
 * of one image (8×8), a plane's last vector overlapping the one before (5×7, 7×7, 23×23), planes
 * of fewer than 16 positions (3×3, read lane by lane), stride 2 and dilation 2 (lanes read one by
 * one), padding 0 (outputs smaller than the input), output channels past a block of eight, one
 * input channel, a 1×1 kernel, outputs of 1×1, 4 232 positions, 20 images of 28×28 (two blocks
 * of the weight gradient's partial sums, 16 output channels in two blocks of 8) and a 1×1 image
 * at stride 2 whose last tap lies wholly in the padding (col2im's bounds), and 2 images of 2×1
 * with padding 2, whose input gradient's vector of 4 positions (two images of two rows, then
 * clamped) put its last lane 15 addresses past its first with gaps between: it must be read lane
 * by lane (ConvGeometryPropertiesTest found it; PatchGemm took it for one vector load). Strided
 * convolutions whose output planes are the input's phase planes read those phases for their
 * forward product, and for their weight gradient where their output planes hold 128 positions or
 * more: 8×8 at stride 2 (one output vector), 70 images of 28×28 to 14×14 (two blocks of partial
 * sums, the last short), a 1×1 kernel (one phase of four), 5×5 and 4×4 kernels (phase offsets of
 * −1 and +1), dilation 2, 3×3 output planes (PatchGemm) and stride 3 (nine phases). Values and
 * gradients against the interpreter, under both plans.
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
                new int[] {2, 2, 1, 1, 3, 3, 3, 2, 1, 1},
                new int[] {20, 2, 28, 28, 16, 3, 3, 1, 1, 1},
                new int[] {3, 2, 3, 3, 4, 3, 3, 1, 1, 1},
                new int[] {2, 1, 2, 1, 1, 3, 3, 1, 2, 1},
                new int[] {2, 3, 8, 8, 5, 3, 3, 2, 1, 1},
                new int[] {70, 2, 28, 28, 9, 3, 3, 2, 1, 1},
                new int[] {2, 5, 14, 14, 16, 1, 1, 2, 0, 1},
                new int[] {2, 2, 24, 22, 4, 5, 5, 2, 2, 1},
                new int[] {2, 2, 24, 24, 3, 4, 4, 2, 1, 1},
                new int[] {2, 3, 24, 24, 4, 3, 3, 2, 2, 2},
                new int[] {3, 2, 6, 6, 4, 3, 3, 2, 1, 1},
                new int[] {2, 2, 36, 36, 3, 3, 3, 3, 1, 1});
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
        assertConvolutionAgrees(g, plan, new Random(name.hashCode()), "");
    }

    /**
     * conv2d of geometry {@code g} (N, C, H, W, O, KH, KW, stride, padding, dilation; one group),
     * its value and the gradients of sum(y · cotangent) for x and w, all from {@code random}, on the
     * device under {@code plan} against the interpreter; {@code label} follows each output's name.
     */
    static void assertConvolutionAgrees(int[] g, PlanChoice plan, Random random, String label) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", g[0], g[1], g[2], g[3]);
        Tensor w = tape.param("w", g[4], g[1], g[5], g[6]);
        Tensor y = x.conv2d(w, Conv2d.of(g[7], g[8], g[9], 1));
        Tensor cotangent = tape.input("cotangent", y.shape().dims());
        Tensor[] grads = tape.grad(y.mul(cotangent).sum(), x, w);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor t : List.of(x, w, cotangent)) {
            feeds.put(t, NDArray.uniform(t.shape(), -1, 1, random));
        }
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(y, grads[0], grads[1]), feeds, plan, random,
                List.of("conv2d" + label, "grad x" + label, "grad w" + label)::get, tape.dump());
    }

    /**
     * The implicit weight gradient reads a plane of 35 positions as two chunks of 16 and then the
     * last 16 positions (19 to 34), whose first 13 were counted already: those lanes must add
     * exactly nothing, so both their g and their x are set to 0 (a product with one of them left
     * would be 0 · ∞ = NaN). An infinite x at position 20 and an infinite g at position 31 must
     * each give ±∞ in the weights whose taps read them, as in the interpreter (and NaN where g meets
     * the padding's zero, as the patch matrix gives).
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void infinitiesInTheOverlappingLastChunkCountOnce(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x1 = tape.input("x1", 1, 1, 5, 7);
        Tensor x2 = tape.input("x2", 1, 1, 5, 7);
        Tensor g1 = tape.input("g1", 1, 2, 5, 7);
        Tensor g2 = tape.input("g2", 1, 2, 5, 7);
        Tensor w1 = tape.param("w1", 2, 1, 3, 3);
        Tensor w2 = tape.param("w2", 2, 1, 3, 3);
        Conv2d same = Conv2d.of(1, 1, 1, 1);
        Tensor loss = x1.conv2d(w1, same).mul(g1).sum().add(x2.conv2d(w2, same).mul(g2).sum());
        Tensor[] grads = tape.grad(loss, w1, w2);
        Random random = new Random(35);
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (Tensor t : List.of(x1, x2, g1, g2, w1, w2)) {
            double[] v = NDArray.uniform(t.shape(), -1, 1, random).data();
            if (t == x1) {
                v[20] = Double.POSITIVE_INFINITY;
            } else if (t == g2) {
                v[31] = Double.POSITIVE_INFINITY;
            }
            feeds.put(t, NDArray.of(t.shape(), v));
        }
        // the interpreter's agreement rule skips elements that are not finite in the reference: compare those here
        DeviceComparison.roundToFloat(feeds);
        NDArray[] expected = Interpreter.run(Graph.of(grads), feeds);
        NDArray[] device;
        try (Executable e = DeviceComparison.under(plan).apply(grads)) {
            device = e.run(feeds);
        }
        int infinite = 0;
        for (int k = 0; k < 2; k++) {
            double[] want = expected[k].data();
            double[] got = device[k].data();
            for (int i = 0; i < want.length; i++) {
                String where = "grad w" + (k + 1) + "[" + i + "]";
                if (Double.isNaN(want[i]) || Double.isInfinite(want[i])) {
                    assertEquals(want[i], got[i], where); // NaN equals NaN here, +inf only +inf
                    infinite += Double.isInfinite(want[i]) ? 1 : 0;
                } else {
                    assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), where);
                }
            }
        }
        assertTrue(infinite >= 12, "the infinities reach the weights whose taps read them: " + infinite);
    }

    /**
     * On the CPU plan no patch matrix is stored for a stride-1 convolution that keeps its planes:
     * its forward product and input gradient are {@link PlaneConvolution}s and its weight gradient
     * a {@link PatchWeightGradient}, with no im2col or col2im; the GPU plan keeps im2col and the
     * GEMM. A stride-2 convolution of even planes reads x's phases ({@link PhaseSplit}) for its
     * forward product, and for its weight gradient when its output planes are large and its kernel
     * wider than 1 ({@link PatchWeightGradient#fits}), else im2col; its input gradient is a plane
     * convolution of the output gradient per phase of the image, with no col2im. Of odd planes,
     * its forward product is the general {@link PatchGemm}, its input gradient the product and
     * col2im, and its weight gradient keeps im2col.
     */
    @Test
    void theCpuPlanStoresNoPatchMatrixForAStrideOneConvolutionNorItsGradients() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2, 3, 8, 8);
        Tensor w = tape.param("w", 4, 3, 3, 3);
        Tensor y = x.conv2d(w, Conv2d.of(1, 1, 1, 1));
        List<String> cpu = kernels(KernelPlan.of(Graph.of(y), DeviceLimits.typical(DeviceType.CPU)));
        List<String> gpu = kernels(KernelPlan.of(Graph.of(y), DeviceLimits.typical(DeviceType.GPU)));
        assertEquals(List.of(PLANE), cpu.stream().filter(k -> !k.contains("permute")).toList(), cpu.toString());
        assertTrue(gpu.stream().anyMatch(k -> k.contains(Op.IM2COL.label())) && !gpu.contains(PatchGemm.NAME) && !gpu.contains(PLANE),
                gpu.toString());

        Tensor[] grads = tape.grad(y.square().sum(), x, w);
        List<String> backward = kernels(KernelPlan.of(Graph.of(grads), DeviceLimits.typical(DeviceType.CPU)));
        assertEquals(2, backward.stream().filter(PLANE::equals).count(), backward.toString());
        assertEquals(1, backward.stream().filter(WEIGHT_GRADIENT::equals).count(), backward.toString());
        assertTrue(backward.stream().noneMatch(k -> k.contains(Op.COL2IM.label()) || k.contains(Op.IM2COL.label())), backward.toString());

        Tensor large = tape.param("large", 2, 3, 24, 24);
        Tensor strided = large.conv2d(w, Conv2d.of(2, 1, 1, 1));
        Tensor[] gradStrided = tape.grad(strided.square().sum(), large, w);
        List<String> stride2 = kernels(KernelPlan.of(Graph.of(gradStrided), DeviceLimits.typical(DeviceType.CPU)));
        assertEquals(2, stride2.stream().filter(PHASES::equals).count(), stride2.toString());
        assertEquals(2, stride2.stream().filter(PLANE::equals).count(), stride2.toString());
        assertEquals(1, stride2.stream().filter(WEIGHT_GRADIENT::equals).count(), stride2.toString());
        assertTrue(stride2.stream().noneMatch(k -> k.contains(Op.IM2COL.label()) || k.contains(Op.COL2IM.label())
                || k.equals(PatchGemm.NAME)), stride2.toString());

        // output planes of 4×4, or a 1×1 kernel: the forward product from phases, the weight gradient by im2col
        for (Tensor[] input : List.of(new Tensor[] {x, w}, new Tensor[] {large, tape.param("w1", 4, 3, 1, 1)})) {
            Tensor small = input[0].conv2d(input[1], Conv2d.of(2, input[1].shape().dim(2) / 2, 1, 1));
            Tensor[] gradSmall = tape.grad(small.square().sum(), input[1]);
            List<String> byPatches = kernels(KernelPlan.of(Graph.of(small, gradSmall[0]), DeviceLimits.typical(DeviceType.CPU)));
            assertEquals(List.of(PHASES, PLANE), byPatches.stream().filter(k -> k.equals(PHASES) || k.equals(PLANE)).toList(),
                    byPatches.toString());
            assertTrue(byPatches.stream().anyMatch(k -> k.contains(Op.IM2COL.label())) && !byPatches.contains(WEIGHT_GRADIENT),
                    byPatches.toString());
        }

        Tensor oddImage = tape.param("odd", 2, 3, 9, 9);
        Tensor odd = oddImage.conv2d(w, Conv2d.of(2, 1, 1, 1));
        Tensor[] gradOdd = tape.grad(odd.square().sum(), oddImage, w);
        List<String> oddPlanes = kernels(KernelPlan.of(Graph.of(odd, gradOdd[0], gradOdd[1]), DeviceLimits.typical(DeviceType.CPU)));
        assertTrue(oddPlanes.contains(PatchGemm.NAME), oddPlanes.toString());
        assertTrue(oddPlanes.stream().anyMatch(k -> k.contains(Op.IM2COL.label())), oddPlanes.toString());
        assertTrue(oddPlanes.stream().anyMatch(k -> k.contains(Op.COL2IM.label())), oddPlanes.toString());
        assertTrue(oddPlanes.stream().noneMatch(k -> k.equals(PHASES) || k.equals(PLANE) || k.equals(WEIGHT_GRADIENT)), oddPlanes.toString());
    }

    private static final String PLANE = "plane convolution";
    private static final String WEIGHT_GRADIENT = "implicit weight gradient";
    private static final String PHASES = "phase split";

    /** Each kernel by name, or by what its source says it is for the kernels named by their node. */
    private static List<String> kernels(KernelPlan plan) {
        return plan.kernels().stream().map(k -> k.source().startsWith("// arcgrad plane convolution") ? PLANE
                : k.source().startsWith("// arcgrad implicit weight gradient") ? WEIGHT_GRADIENT
                : k.source().startsWith("// arcgrad phase split") ? PHASES : k.name()).toList();
    }
}
