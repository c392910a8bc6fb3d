package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A launch with operands too small for its sizes (by one element, in each variant's storage
 * layout) or with sizes below one is refused before anything runs; a right one returns its timing.
 */
class CompiledGemmArgumentsTest {
    private static void rejects(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(GemmVariant.class)
    void operandsOneElementShortAreRefused(GemmVariant v) {
        DeviceContext device = OpenClTestDevice.get();
        int m = 3;
        int n = 4;
        int k = 5;
        try (CompiledGemm gemm = new CompiledGemm(device, GemmTemplate.render(v, GemmDefaults.cpu(v), Epilogue.identity()));
             DeviceBuffer a = device.floatBuffer("a", m * k);
             DeviceBuffer shortA = device.floatBuffer("short a", m * k - 1);
             DeviceBuffer b = device.floatBuffer("b", n * k);
             DeviceBuffer shortB = device.floatBuffer("short b", n * k - 1);
             DeviceBuffer c = device.floatBuffer("c", m * n);
             DeviceBuffer shortC = device.floatBuffer("short c", m * n - 1)) {
            CompiledGemm.Timing t = gemm.run(m, n, k, a, b, c);
            assertTrue(t.kernelNanos() >= 0 && t.wallNanos() >= 0 && t.wallNanos() < 600_000_000_000L, t.toString());
            rejects("holds " + (m * k - 1), () -> gemm.run(m, n, k, shortA, b, c));
            rejects("holds " + (n * k - 1), () -> gemm.run(m, n, k, a, shortB, c));
            rejects("holds " + (m * n - 1), () -> gemm.run(m, n, k, a, b, shortC));
            rejects("GEMM sizes must be at least 1, got M=3 N=4 K=0", () -> gemm.run(m, n, 0, a, b, c));
        }
    }

    @ParameterizedTest
    @EnumSource(value = GemmVariant.class, names = "NN")
    void parametersTheDeviceCannotRunAreRefusedBeforeBuilding(GemmVariant v) {
        // a work-group of 64 × 128 = 8192 work-items: more than PoCL (4096) or any GPU allows
        GemmKernel huge = GemmTemplate.render(v, new GemmParams(64, 128, 16, 64, 128, 1, 1, 1, false, false), Epilogue.identity());
        rejects("exceeds the device's maximum work-group size", () -> new CompiledGemm(OpenClTestDevice.get(), huge).close());
    }
}
