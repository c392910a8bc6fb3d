package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;

/** Which products are split into how many slices of K, and how deep the slices are. */
class SplitKSlicesTest {
    private static final DeviceLimits CPU = DeviceLimits.typical(DeviceType.CPU);
    private static final DeviceLimits GPU = DeviceLimits.typical(DeviceType.GPU);

    private static int slices(DeviceLimits device, GemmVariant v, int m, int n, int k) {
        return SplitK.slices(device, v, GemmDefaults.forShape(device, v, m, n, k), m, n, k);
    }

    @Test
    void theHeadsInputGradientIsSplitOnBoth() {
        // G·W at N = 256, D = 512: 128 tiles of 32×32 on a GPU, 4 layers reach 512 groups; 4 tiles of 256×128 on a CPU,
        // 4 layers reach 16; at D = 500 it takes 32 tiles of 64×64 on a CPU, enough unsplit
        assertEquals(4, slices(GPU, GemmVariant.NN, 256, 512, 100_000));
        assertEquals(4, slices(CPU, GemmVariant.NN, 256, 512, 100_000));
        assertEquals(1, slices(CPU, GemmVariant.NN, 256, 500, 100_000));
        // the head's other products have tiles enough
        assertEquals(1, slices(GPU, GemmVariant.NT, 256, 100_000, 512));
        assertEquals(1, slices(GPU, GemmVariant.TN, 100_000, 512, 256));
    }

    @Test
    void aConvolutionsWeightGradientIsSplitOnBoth() {
        // [16, 144] with K = batch × positions: 3 tiles of 64×64 on a CPU, 5 of 32×32 on a GPU
        assertEquals(6, slices(CPU, GemmVariant.NN, 16, 144, 200_704));
        assertEquals(SplitK.MAX_SLICES, slices(GPU, GemmVariant.NN, 16, 144, 200_704));
    }

    @Test
    void aSmallNtProductOnACpuIsSplitIntoSlicesThatStayInCache() {
        // the weight gradients as the compiler runs them (NT), 96 to 1 536 tiles of 4×6: split by depth, not by groups
        assertEquals(SplitK.MAX_SLICES, slices(CPU, GemmVariant.NT, 16, 144, 200_704));
        assertEquals(9, slices(CPU, GemmVariant.NT, 32, 288, 50_176));
        assertEquals(3, slices(CPU, GemmVariant.NT, 64, 576, 12_544));
        assertTrue(SplitK.sliceLength(12_544, 3) <= SplitK.CPU_NT_SLICE);
        // a larger output, a short K, or another variant: not by depth
        assertEquals(1, slices(CPU, GemmVariant.NT, 256, 512, 8_192));
        assertEquals(1, slices(CPU, GemmVariant.NT, 16, 144, SplitK.MIN_DEPTH - 1));
        assertEquals(1, slices(CPU, GemmVariant.TN, 64, 576, 12_544));
    }

    @Test
    void shortKOrSlicesBelowTheMinimumDepthAreNotSplit() {
        assertEquals(1, slices(CPU, GemmVariant.NN, 7, 5, SplitK.MIN_DEPTH - 1));
        assertEquals(SplitK.MIN_DEPTH / SplitK.MIN_SLICE, slices(CPU, GemmVariant.NN, 7, 5, SplitK.MIN_DEPTH));
    }

    @Test
    void slicesCoverKExactlyWithAlignedStarts() {
        for (int k : new int[] {4096, 9001, 100_000, 200_704, 65_537}) {
            for (int s = 1; s <= SplitK.MAX_SLICES; s++) {
                int length = SplitK.sliceLength(k, s);
                int launched = (k + length - 1) / length;
                assertTrue(launched <= s && launched >= 1, k + " / " + s + ": " + launched + " slices of " + length);
                assertTrue((long) launched * length >= k && (long) (launched - 1) * length < k, "every slice non-empty");
                assertTrue(length % 16 == 0 || length == k, "slice starts stay 64-byte aligned: " + length);
            }
        }
    }
}
