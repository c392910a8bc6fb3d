package org.arcgrad.opencl.runtime;

/**
 * This machine cannot run OpenCL at all: the loader library (libOpenCL.so) is missing, or it is
 * there but no driver (ICD) registered a platform or a device. The message always ends with the
 * install command, because that is the fix in nearly every case.
 *
 * <p>It deliberately carries no cause: the cause would be a JNI {@code UnsatisfiedLinkError}
 * whose stack trace helps nobody; its one useful line is copied into the message instead.
 */
public final class NoOpenClPlatformException extends OpenClException {
    /** The Debian/Ubuntu command that installs the loader and the PoCL CPU driver. */
    public static final String INSTALL_COMMAND = "apt-get install ocl-icd-opencl-dev pocl-opencl-icd";

    public NoOpenClPlatformException(String whatIsMissing, int code) {
        super(whatIsMissing + "\n" + advice(), code);
    }

    private static String advice() {
        return "arcgrad needs an OpenCL driver. On Debian or Ubuntu, install the loader and the CPU"
                + " driver (PoCL) with:\n    " + INSTALL_COMMAND + "\n"
                + "(as root, or with sudo). For a GPU, also install its vendor's OpenCL driver.";
    }
}
