package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid parameters are rejected before any OpenCL is involved, with a message naming the rule. */
class GemmParamsValidationTest {

    private static void rejects(String expectedFragment, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertTrue(e.getMessage().contains(expectedFragment), () -> "message '" + e.getMessage() + "' should mention '"
            + expectedFragment + "'");
    }

    @Test
    void rejectsNonPositiveSizes() {
        rejects("MWG must be at least 1, got 0", () -> new GemmParams(0, 32, 16, 1, 1, 16, 16, 2, false, false));
        rejects("NDIMC must be at least 1, got -2", () -> new GemmParams(8, 32, 16, 1, -2, 16, 16, 2, false, false));
        rejects("KWI must be at least 1", () -> new GemmParams(8, 32, 16, 1, 1, 16, 16, 0, false, false));
    }

    @Test
    void rejectsVectorWidthsOpenClDoesNotHave() {
        rejects("VWN must be 1, 2, 4, 8 or 16", () -> new GemmParams(8, 24, 16, 1, 1, 3, 16, 2, false, false));
        rejects("VWK must be 1, 2, 4, 8 or 16", () -> new GemmParams(8, 32, 16, 1, 1, 16, 32, 2, false, false));
    }

    @Test
    void rejectsTilesThatDoNotDivideAmongWorkItems() {
        rejects("MWG (12) must be a multiple of MDIMC (8)", () -> new GemmParams(12, 32, 16, 8, 1, 16, 16, 2, false, false));
        rejects("NWG (48) must be a multiple of NDIMC*VWN (2*16 = 32)",
            () -> new GemmParams(8, 48, 16, 1, 2, 16, 16, 2, false, false));
        rejects("KWG (20) must be a multiple of KWI (8)", () -> new GemmParams(64, 64, 20, 8, 8, 4, 4, 8, true, false));
    }

    @Test
    void rejectsRegisterTilesNoDeviceHolds() {
        rejects("accumulators per work-item", () -> new GemmParams(64, 64, 16, 1, 1, 16, 16, 2, false, false));
    }

    @Test
    void checksWorkGroupSizeAgainstTheDevice() {
        DeviceLimits small = new DeviceLimits(DeviceType.GPU, 256, 1024, 1024, 48 * 1024);
        GemmParams big = new GemmParams(128, 128, 16, 32, 16, 4, 4, 4, true, false);
        rejects("work-group MDIMC*NDIMC = 32*16 = 512 exceeds the device's maximum work-group size 256",
            () -> big.checkFits(small));
        DeviceLimits narrow = new DeviceLimits(DeviceType.GPU, 1024, 8, 1024, 48 * 1024);
        rejects("exceeds the device's maximum work-item sizes 8×1024",
            () -> new GemmParams(64, 64, 16, 8, 16, 4, 4, 4, true, false).checkFits(narrow));
    }

    @Test
    void checksLocalMemoryAgainstTheDevice() {
        DeviceLimits device = new DeviceLimits(DeviceType.GPU, 1024, 1024, 1024, 16 * 1024);
        GemmParams params = new GemmParams(128, 128, 32, 16, 16, 8, 4, 4, true, false);
        rejects("local tiles need 4*KWG*(MWG+1+NWG) = 4*32*(128+1+128) = 32896 bytes, more than the device's 16384",
            () -> params.checkFits(device));
        // The same tiles read straight from global memory need no local memory.
        assertDoesNotThrow(() -> new GemmParams(128, 128, 32, 16, 16, 8, 4, 4, false, false).checkFits(device));
    }

    @Test
    void defaultsAreValidForTypicalDevices() {
        for (GemmVariant v : GemmVariant.values()) {
            GemmDefaults.cpu(v).checkFits(DeviceLimits.typical(DeviceType.CPU));
            GemmDefaults.gpu(v).checkFits(DeviceLimits.typical(DeviceType.GPU));
            for (GemmParams p : GemmCandidates.cpu(v)) {
                assertDoesNotThrow(() -> GemmTemplate.render(v, p, Epilogue.identity()));
            }
        }
    }

    @Test
    void rejectsRegisterTilesTunedForAnotherForm() {
        // NN's CPU set is 8 rows x 2 float16 vectors; in NT's dot form each element is a float16.
        rejects("needs 4096 floats of accumulators per work-item",
            () -> GemmTemplate.render(GemmVariant.NT, GemmDefaults.cpu(GemmVariant.NN), Epilogue.identity()));
    }

    @Test
    void rejectsBadEpilogues() {
        rejects("epilogue expression must not be empty", () -> Epilogue.of(" "));
        rejects("uses the reserved name 'C'", () -> Epilogue.of("acc", "__global float* C"));
        rejects("must be a C parameter declaration ending in its name", () -> Epilogue.of("acc", "const float *"));
    }

    @Test
    void rejectsSizesBelowOne() {
        GemmKernel k = GemmTemplate.render(GemmVariant.NN, GemmDefaults.cpu(GemmVariant.NN), Epilogue.identity());
        rejects("GEMM sizes must be at least 1, got M=0 N=5 K=1", () -> k.globalSize(0, 5));
    }
}
