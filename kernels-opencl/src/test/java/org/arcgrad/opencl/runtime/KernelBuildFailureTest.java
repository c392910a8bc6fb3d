package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelBuildFailureTest {
    static final String BROKEN = """
            __kernel void broken(__global float* y) {
                int i = get_global_id(0);
                y[i] = undeclared_thing * 2.0f;
            }
            """;

    @Test
    void theMessageCarriesTheBuildLogAndTheNumberedSource() {
        try (DeviceContext ctx = TestDevices.openMemoryOnly(TestDevices.preferred())) {
            KernelBuildException e = assertThrows(KernelBuildException.class, () -> ctx.build(BROKEN));
            assertEquals("CL_BUILD_PROGRAM_FAILURE", e.errorName());
            assertFalse(e.buildLog().isBlank(), "the driver explains the failure");
            assertTrue(e.buildLog().contains("undeclared_thing"), e.buildLog());
            assertEquals(BROKEN, e.source());
            String m = e.getMessage();
            assertTrue(m.contains("failed to build on device '" + ctx.device().name() + "'"), m);
            assertTrue(m.contains("--- build log ---\n"), m);
            assertTrue(m.contains(e.buildLog().strip()), m);
            assertTrue(m.contains("--- source ---\n"), m);
            assertTrue(m.contains("3 |     y[i] = undeclared_thing * 2.0f;"), m);
            assertTrue(m.contains("1 | __kernel void broken(__global float* y) {"), m);
        }
    }

    @Test
    void aFailedBuildIsNotCached() {
        try (DeviceContext ctx = TestDevices.openMemoryOnly(TestDevices.preferred())) {
            assertThrows(KernelBuildException.class, () -> ctx.build(BROKEN));
            assertThrows(KernelBuildException.class, () -> ctx.build(BROKEN));
            assertEquals(0, ctx.programCache().stats().memoryHits());
        }
    }

    @Test
    void lineNumbersAreRightAligned() {
        String source = "a\n".repeat(10) + "b";
        String numbered = KernelBuildException.withLineNumbers(source);
        assertTrue(numbered.startsWith(" 1 | a\n"), numbered);
        assertTrue(numbered.endsWith("11 | b\n"), numbered);
        assertTrue(KernelBuildException.withLineNumbers("x\ny\n").endsWith("2 | y\n"), "no empty line after the last");
    }
}
