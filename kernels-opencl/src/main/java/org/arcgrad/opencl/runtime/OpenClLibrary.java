package org.arcgrad.opencl.runtime;

import org.jocl.CL;
import org.jocl.cl_platform_id;

/**
 * Loads JOCL once and lists the platform handles, turning every way in which "no OpenCL here"
 * shows up into one {@link NoOpenClPlatformException}:
 * <ul>
 *   <li>no loader library: JOCL's static initializer fails to dlopen libOpenCL.so
 *       ({@link NativeLoader} translates the JNI errors);</li>
 *   <li>a loader but no driver: {@code clGetPlatformIDs} returns CL_PLATFORM_NOT_FOUND_KHR
 *       (-1001, what ocl-icd answers) or zero platforms.</li>
 * </ul>
 */
final class OpenClLibrary {
    private OpenClLibrary() {
    }

    /** JOCL's first use loads its native part; exceptions off means every return code reaches {@link Cl#check}. */
    private static final NativeLoader JOCL = new NativeLoader(() -> CL.setExceptionsEnabled(false));

    static void ensureLoaded() {
        JOCL.ensureLoaded();
    }

    /** All platform handles; never empty. */
    static cl_platform_id[] platforms() {
        ensureLoaded();
        int[] count = new int[1];
        int code = CL.clGetPlatformIDs(0, null, count);
        requirePlatforms(code, count[0]);
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        Cl.check(CL.clGetPlatformIDs(ids.length, ids, null), "listing OpenCL platforms");
        return ids;
    }

    /** Explains a platform count that is "none"; other failures stay plain OpenCL errors. */
    static void requirePlatforms(int code, int count) {
        if (code == ClErrors.PLATFORM_NOT_FOUND_KHR || (code == 0 && count == 0)) {
            throw new NoOpenClPlatformException(
                    "No OpenCL platform: the OpenCL loader (libOpenCL.so) is installed but no driver (ICD)"
                            + " registered a platform" + (code == 0 ? "" : " (" + ClErrors.nameOf(code) + ")")
                            + "; the loader looks in /etc/OpenCL/vendors (or $OCL_ICD_VENDORS).",
                    code);
        }
        Cl.check(code, "counting OpenCL platforms");
    }
}
