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

    /**
     * The clear exception for a JNI loading failure. Only the error's first line is kept: JOCL puts
     * whole nested stack traces into the message of its own loading failure.
     */
    static NoOpenClPlatformException translate(LinkageError e) {
        String first = e.getMessage() == null ? "no detail" : e.getMessage().lines().findFirst().orElse("no detail");
        String error = e.getClass().getSimpleName() + ": " + first.strip();
        if (first.startsWith("Error while loading native library")) {
            // JOCL's own JNI library (it does not link libOpenCL) failed: a wrong architecture or a noexec temp folder.
            return new NoOpenClPlatformException(
                    "No OpenCL: JOCL's own native library could not be loaded (" + error + ") on "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                            + ". JOCL unpacks it into java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
                            + "); if that folder does not allow executables (noexec), start Java with"
                            + " -Djava.io.tmpdir=<another folder>.",
                    OpenClException.NO_CODE);
        }
        return new NoOpenClPlatformException(
                "No OpenCL platform: the OpenCL loader library (libOpenCL.so) could not be loaded (" + error + ").",
                OpenClException.NO_CODE);
    }
}
