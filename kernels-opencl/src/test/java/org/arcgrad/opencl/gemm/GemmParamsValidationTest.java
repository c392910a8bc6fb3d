package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            GemmDefaults.gpuLarge().checkFits(DeviceLimits.typical(DeviceType.GPU));
            GemmDefaults.gpuSmall().checkFits(DeviceLimits.typical(DeviceType.GPU));
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

    @Test
    void rejectsEachNonPositiveTileSize() {
        rejects("NWG must be at least 1, got 0", () -> new GemmParams(8, 0, 16, 1, 1, 1, 1, 1, false, false));
        rejects("KWG must be at least 1, got 0", () -> new GemmParams(8, 8, 0, 1, 1, 1, 1, 1, false, false));
        rejects("MDIMC must be at least 1, got 0", () -> new GemmParams(8, 8, 16, 0, 1, 1, 1, 1, false, false));
    }

    @Test
    void registerLimitsAreInclusive() {
        assertDoesNotThrow(() -> new GemmParams(32, 16, 16, 1, 1, 16, 16, 1, false, false)); // 32×16 = 512 accumulators
        rejects("register tile MWI×NWI = 64×16 = 1024 accumulators per work-item is more than 512",
            () -> new GemmParams(128, 32, 16, 2, 2, 16, 16, 1, false, false));
        // the dot form keeps a float16 per element: 8×8 elements are exactly the 1024 floats allowed
        assertDoesNotThrow(() -> GemmTemplate.render(GemmVariant.NT, new GemmParams(8, 8, 16, 1, 1, 1, 16, 1, false, false),
            Epilogue.identity()));
        rejects("needs 1152 floats", () -> GemmTemplate.render(GemmVariant.NT, new GemmParams(9, 8, 16, 1, 1, 1, 16, 1, false, false),
            Epilogue.identity()));
    }

    @Test
    void deviceLimitsAreInclusive() {
        // work-group 16×16 = 256, 16 work-items along each axis, local tiles of exactly 4*16*(64+1+64) bytes
        DeviceLimits exact = new DeviceLimits(DeviceType.GPU, 256, 16, 16, 4L * 16 * (64 + 1 + 64));
        assertDoesNotThrow(() -> new GemmParams(64, 64, 16, 16, 16, 4, 4, 4, true, false).checkFits(exact));
    }

    @Test
    void spellsItselfAsClBlastDoes() {
        GemmParams p = new GemmParams(64, 64, 16, 16, 16, 4, 2, 4, true, false);
        assertEquals("MWG=64 NWG=64 KWG=16 MDIMC=16 NDIMC=16 VWN=4 VWK=2 KWI=4 LOCAL=1 ROWS_FIRST=0", p.toString());
        GemmParams q = new GemmParams(64, 64, 16, 16, 16, 4, 2, 4, false, false).withRowTilesFirst(true);
        assertEquals("MWG=64 NWG=64 KWG=16 MDIMC=16 NDIMC=16 VWN=4 VWK=2 KWI=4 LOCAL=0 ROWS_FIRST=1", q.toString());
        assertEquals(new GemmParams(64, 64, 16, 16, 16, 4, 2, 4, false, true), q);
    }

    @Test
    void variantsByTheirTransposes() {
        assertEquals(GemmVariant.NN, GemmVariant.of(false, false));
        assertEquals(GemmVariant.NT, GemmVariant.of(false, true));
        assertEquals(GemmVariant.TN, GemmVariant.of(true, false));
        assertEquals(GemmVariant.TT, GemmVariant.of(true, true));
        assertEquals(2.0 * 3 * 5 * 7, GemmKernel.flops(3, 5, 7));
    }

    @Test
    void launchesJustEnoughGroups() {
        GemmKernel k = GemmTemplate.render(GemmVariant.NN, new GemmParams(8, 16, 8, 2, 4, 4, 4, 2, false, false), Epilogue.identity());
        // ceil(17/16) = 2 column groups of NDIMC 4, ceil(8/8) = 1 row group of MDIMC 2; 16 columns fit one group exactly
        assertArrayEquals(new long[] {8, 2}, k.globalSize(8, 17));
        assertArrayEquals(new long[] {4, 4}, k.globalSize(9, 16));
        assertArrayEquals(new long[] {4, 2}, k.globalSize(7, 15));
    }

    @Test
    void onlyThePlainAccumulatorIsTheIdentity() {
        assertTrue(Epilogue.identity().isIdentity());
        assertTrue(Epilogue.of(" acc ").isIdentity());
        assertFalse(Epilogue.of("2.0f * acc").isIdentity(), "an expression of acc");
        assertFalse(Epilogue.of("acc", "const float s").isIdentity(), "acc with a parameter still calls the epilogue");
        assertEquals("float f(float v) { return v; }", Epilogue.of("f(acc)").withPreamble("float f(float v) { return v; }").preamble());
        assertEquals("", Epilogue.of("acc").preamble());
    }

    @Test
    void outerProductsSplatTheirScalarFactorExplicitly() {
        // fma takes three operands of one type; a scalar a_i beside float4 columns must be splatted
        // in the source, not left to a compiler that may or may not convert it
        String local = GemmTemplate.render(GemmVariant.NN, new GemmParams(16, 16, 8, 4, 4, 4, 4, 4, true, false), Epilogue.identity())
            .source();
        assertTrue(local.contains("acc0_0 = fma((float4)(a0), b0, acc0_0);"), local);
        String direct = GemmTemplate.render(GemmVariant.NN, new GemmParams(4, 16, 8, 1, 1, 8, 8, 2, false, false), Epilogue.identity())
            .source();
        assertTrue(direct.contains("acc0_0 = fma((float8)(a0), b0, acc0_0);"), direct);
    }
}
