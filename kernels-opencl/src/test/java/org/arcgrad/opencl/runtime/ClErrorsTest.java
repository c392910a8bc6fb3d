package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClErrorsTest {
    @Test
    void namesCodesSymbolically() {
        assertEquals("CL_OUT_OF_RESOURCES", ClErrors.nameOf(-5));
        assertEquals("CL_INVALID_KERNEL_ARGS", ClErrors.nameOf(-52));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClErrors.nameOf(-1001));
        assertEquals("UNKNOWN_OPENCL_ERROR_-777", ClErrors.nameOf(-777));
    }

    @Test
    void checkPassesSuccessAndExplainsFailure() {
        assertDoesNotThrow(() -> Cl.check(0, "anything"));
        OpenClException e = assertThrows(OpenClException.class, () -> Cl.check(-54, "launching kernel 'k'"));
        assertEquals(-54, e.code());
        assertEquals("CL_INVALID_WORK_GROUP_SIZE", e.errorName());
        assertTrue(e.getMessage().startsWith("OpenCL error CL_INVALID_WORK_GROUP_SIZE (-54) while launching kernel 'k'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("must divide the global size"), e.getMessage());
    }

    @Test
    void checkReadsErrcodeArrays() {
        OpenClException e = assertThrows(OpenClException.class, () -> Cl.check(new int[] {-4}, "allocating"));
        assertEquals("CL_MEM_OBJECT_ALLOCATION_FAILURE", e.errorName());
    }

    @Test
    void outOfMemoryCodes() {
        assertTrue(ClErrors.isOutOfMemory(-4));
        assertTrue(ClErrors.isOutOfMemory(-5));
        assertTrue(!ClErrors.isOutOfMemory(-52));
    }
}
