package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;

/**
 * Which parameters a product of a given shape gets: short-K NN/TT products on a CPU skip
 * K-blocking, long-K ones take 256×128 tiles where the output fills them; on a GPU the tile shrinks until the product gives enough work-groups.
 */
class GemmShapeDefaultsTest {
    private static final DeviceLimits CPU = DeviceLimits.typical(DeviceType.CPU);
    private static final DeviceLimits GPU = DeviceLimits.typical(DeviceType.GPU);

    @Test
    void shortKOnACpuTakesTheDirectForm() {
        assertEquals(GemmDefaults.cpuShortK(), GemmDefaults.forShape(CPU, GemmVariant.NN, 256, 512, 256));
        assertEquals(GemmDefaults.cpuShortK(), GemmDefaults.forShape(CPU, GemmVariant.TT, 256, 512, GemmDefaults.CPU_SHORT_K));
        assertEquals(GemmDefaults.cpu(GemmVariant.NN), GemmDefaults.forShape(CPU, GemmVariant.NN, 250, 512, GemmDefaults.CPU_SHORT_K + 1));
    }

    @Test
    void longKOnACpuTakesLargeTilesWhereTheOutputFillsThem() {
        assertEquals(GemmDefaults.cpuLongK(), GemmDefaults.forShape(CPU, GemmVariant.NN, 256, 512, GemmDefaults.CPU_SHORT_K + 1));
        assertEquals(GemmDefaults.cpuLongK(), GemmDefaults.forShape(CPU, GemmVariant.TT, 512, 128, 100_000));
        // a row or a column short of whole tiles: 64×64
        assertEquals(GemmDefaults.cpu(GemmVariant.NN), GemmDefaults.forShape(CPU, GemmVariant.NN, 255, 512, 100_000));
        assertEquals(GemmDefaults.cpu(GemmVariant.TT), GemmDefaults.forShape(CPU, GemmVariant.TT, 256, 130, 100_000));
        // NT and TN keep theirs
        assertEquals(GemmDefaults.cpu(GemmVariant.TN), GemmDefaults.forShape(CPU, GemmVariant.TN, 256, 512, 100_000));
    }

    /** x·Wᵀ on a CPU runs as TT over a copy of x from 768 columns on, except at multiples of 512; never on a GPU or for other variants. */
    @Test
    void wideProductsOnACpuCopyXTransposed() {
        assertTrue(GemmDefaults.cpuTransposesA(CPU, GemmVariant.NT, GemmDefaults.CPU_TRANSPOSED_A_COLUMNS));
        assertFalse(GemmDefaults.cpuTransposesA(CPU, GemmVariant.NT, GemmDefaults.CPU_TRANSPOSED_A_COLUMNS - 1));
        assertFalse(GemmDefaults.cpuTransposesA(CPU, GemmVariant.NT, 1024));
        assertTrue(GemmDefaults.cpuTransposesA(CPU, GemmVariant.NT, 1025));
        assertTrue(GemmDefaults.cpuTransposesA(CPU, GemmVariant.NT, 100_000));
        assertFalse(GemmDefaults.cpuTransposesA(GPU, GemmVariant.NT, 100_000));
        assertFalse(GemmDefaults.cpuTransposesA(CPU, GemmVariant.TN, 100_000));
        // what the compiler runs: the head's x·Wᵀ as TT over the copy, unsplit; a product split along K keeps NT
        assertEquals(new GemmDefaults.Choice(GemmVariant.TT, GemmDefaults.cpuTransposedA(), 1, true),
                GemmDefaults.forProduct(CPU, GemmVariant.NT, 256, 100_000, 512));
        GemmDefaults.Choice split = GemmDefaults.forProduct(CPU, GemmVariant.NT, 64, 1000, 8192);
        assertEquals(GemmVariant.NT, split.variant());
        assertFalse(split.copiesA());
        assertTrue(split.slices() > 1, split.toString());
    }

    @Test
    void otherVariantsOnACpuKeepTheirDefaults() {
        for (GemmVariant v : new GemmVariant[] {GemmVariant.NT, GemmVariant.TN}) {
            assertEquals(GemmDefaults.cpu(v), GemmDefaults.forShape(CPU, v, 256, 512, 256));
        }
    }

    @Test
    void aGpuTakesTheLargestTileThatStillGivesEnoughWorkGroups() {
        // the head's products at N = 256, D = 512: x·Wᵀ and Gᵀ·x by C, G·W of 32 tiles of 64×64
        assertEquals(GemmDefaults.gpuLarge(), GemmDefaults.forShape(GPU, GemmVariant.NT, 256, 100_000, 512));
        assertEquals(GemmDefaults.gpuLarge(), GemmDefaults.forShape(GPU, GemmVariant.TN, 100_000, 512, 256));
        assertEquals(GemmDefaults.gpu(GemmVariant.NT), GemmDefaults.forShape(GPU, GemmVariant.NT, 256, 10_000, 512));
        assertEquals(GemmDefaults.gpuSmall(), GemmDefaults.forShape(GPU, GemmVariant.NN, 256, 512, 100_000));
        // the boundaries: 512 groups of 128×128 (256 × 32 768), one fewer (256 × 32 640); 512 of 64×64
        assertEquals(GemmDefaults.gpuLarge(), GemmDefaults.forShape(GPU, GemmVariant.NN, 256, 256 * 128, 64));
        assertEquals(GemmDefaults.gpu(GemmVariant.NN), GemmDefaults.forShape(GPU, GemmVariant.NN, 256, 255 * 128, 64));
        assertEquals(GemmDefaults.gpu(GemmVariant.TT), GemmDefaults.forShape(GPU, GemmVariant.TT, 64 * 16, 64 * 32, 64));
        assertEquals(GemmDefaults.gpuSmall(), GemmDefaults.forShape(GPU, GemmVariant.TT, 64 * 16, 64 * 32 - 64, 64));
    }

    @Test
    void aGpuThatCannotRunGroupsOf256KeepsTheMiddleSet() {
        DeviceLimits small = new DeviceLimits(DeviceType.GPU, 128, 128, 128, 32 * 1024);
        assertEquals(GemmDefaults.gpu(GemmVariant.NN), GemmDefaults.forShape(small, GemmVariant.NN, 256, 512, 100_000));
        assertEquals(GemmDefaults.gpu(GemmVariant.NT), GemmDefaults.forShape(small, GemmVariant.NT, 256, 100_000, 512));
    }
}
