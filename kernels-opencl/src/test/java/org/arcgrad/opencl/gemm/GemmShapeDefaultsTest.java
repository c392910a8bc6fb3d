package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;

/** Which parameters a product of a given shape gets: short-K NN/TT products on a CPU skip K-blocking. */
class GemmShapeDefaultsTest {
    private static final DeviceLimits CPU = DeviceLimits.typical(DeviceType.CPU);
    private static final DeviceLimits GPU = DeviceLimits.typical(DeviceType.GPU);

    @Test
    void shortKOnACpuTakesTheDirectForm() {
        assertEquals(GemmDefaults.cpu(GemmVariant.TN), GemmDefaults.forShape(CPU, GemmVariant.NN, 256, 512, 256));
        assertEquals(GemmDefaults.cpu(GemmVariant.TN), GemmDefaults.forShape(CPU, GemmVariant.TT, 256, 512, GemmDefaults.CPU_SHORT_K));
        assertEquals(GemmDefaults.cpu(GemmVariant.NN), GemmDefaults.forShape(CPU, GemmVariant.NN, 256, 512, GemmDefaults.CPU_SHORT_K + 1));
    }

    @Test
    void otherVariantsAndGpusKeepTheirDefaults() {
        for (GemmVariant v : new GemmVariant[] {GemmVariant.NT, GemmVariant.TN}) {
            assertEquals(GemmDefaults.cpu(v), GemmDefaults.forShape(CPU, v, 256, 512, 256));
        }
        assertEquals(GemmDefaults.gpu(GemmVariant.NN), GemmDefaults.forShape(GPU, GemmVariant.NN, 256, 512, 256));
    }
}
