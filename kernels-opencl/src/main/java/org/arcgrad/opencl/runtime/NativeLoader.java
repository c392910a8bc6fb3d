package org.arcgrad.opencl.runtime;

/**
 * Runs a native library's first use once and remembers how it went. The JVM reports a failed
 * static initializer only once, as {@link UnsatisfiedLinkError}; every later use gets a bare
 * {@link NoClassDefFoundError} "Could not initialize class". This class repeats the first, clear
 * story instead, and turns either into {@link NoOpenClPlatformException}.
 */
final class NativeLoader {
    private final Runnable firstUse;
    private boolean loaded;
    private String failure;

    NativeLoader(Runnable firstUse) {
        this.firstUse = firstUse;
    }

    synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw new NoOpenClPlatformException(failure, OpenClException.NO_CODE);
        }
        try {
            firstUse.run();
            loaded = true;
        } catch (LinkageError e) {
            NoOpenClPlatformException translated = translate(e);
            failure = translated.getMessage().lines().findFirst().orElse("");
            throw translated;
        }
    }

    /** The clear exception for a JNI loading failure; keeps the error's one-line message, drops its trace. */
    static NoOpenClPlatformException translate(LinkageError e) {
        String detail = e.getMessage() == null ? "no detail" : e.getMessage();
        return new NoOpenClPlatformException(
                "No OpenCL platform: the OpenCL loader library (libOpenCL.so) could not be loaded"
                        + " (" + e.getClass().getSimpleName() + ": " + detail + ").",
                OpenClException.NO_CODE);
    }
}
