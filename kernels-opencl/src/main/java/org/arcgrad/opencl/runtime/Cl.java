package org.arcgrad.opencl.runtime;

/**
 * The one place OpenCL return codes are checked. JOCL runs with exceptions disabled
 * ({@link OpenClLibrary}), so every call returns a code and every code goes through here: the
 * resulting message always names the error and what the call was for.
 */
public final class Cl {
    private Cl() {
    }

    /** Throws {@link OpenClException} unless {@code code} is CL_SUCCESS; {@code what} reads "creating the queue". */
    public static void check(int code, String what) {
        if (code != 0) {
            throw new OpenClException(code, what);
        }
    }

    /** The same check for calls that report through an {@code errcode_ret} array. */
    public static void check(int[] errcodeRet, String what) {
        check(errcodeRet[0], what);
    }
}
