package org.arcgrad.opencl.runtime;

/**
 * An OpenCL call failed. The message names the error symbolically (CL_OUT_OF_RESOURCES, not -5)
 * and says what was being done, so that a user can act on it without looking up cl.h.
 *
 * <p>Every error of this package extends this class, so a caller that wants to fall back to the
 * interpreter when the device fails can catch this one type.
 */
public class OpenClException extends RuntimeException {
    /** The code for errors that are not an OpenCL return code (no platform, bad device spec). */
    public static final int NO_CODE = 0;

    private final int code;

    /** An error with an OpenCL return code; the message is built from the code and {@code what}. */
    public OpenClException(int code, String what) {
        this(describe(code, what), code);
    }

    /** An error whose message the caller wrote in full; {@code code} may be {@link #NO_CODE}. */
    protected OpenClException(String fullMessage, int code) {
        super(fullMessage);
        this.code = code;
    }

    /** The OpenCL return code (negative), or {@link #NO_CODE}. */
    public int code() {
        return code;
    }

    /** The symbolic name of {@link #code()}, e.g. CL_INVALID_KERNEL_ARGS. */
    public String errorName() {
        return ClErrors.nameOf(code);
    }

    static String describe(int code, String what) {
        String text = "OpenCL error " + ClErrors.nameOf(code) + " (" + code + ") while " + what;
        String hint = ClErrors.hintFor(code);
        return hint.isEmpty() ? text : text + ". " + hint;
    }
}
