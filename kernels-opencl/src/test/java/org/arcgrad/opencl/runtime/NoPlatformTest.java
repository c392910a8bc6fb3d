package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine without OpenCL: one clear exception with the install command, never a JNI trace. */
class NoPlatformTest {
    @Test
    void aLoaderWithoutDriversGivesTheClearMessage(@TempDir Path emptyVendors) throws Exception {
        // ocl-icd reads driver registrations from OCL_ICD_VENDORS instead of /etc/OpenCL/vendors.
        ProcessBuilder child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                NoPlatformProbe.class.getName()).redirectErrorStream(true);
        child.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        child.environment().remove("ARCGRAD_DEVICE");
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, process.exitValue(), output);
        assertTrue(output.contains("NoOpenClPlatformException: No OpenCL platform"), output);
        assertTrue(output.contains("no driver (ICD) registered a platform"), output);
        assertTrue(output.contains(NoOpenClPlatformException.INSTALL_COMMAND), output);
        assertTrue(output.contains("cause: null"), output);
        assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
    }

    @Test
    void anUnsatisfiedLinkErrorBecomesTheClearException() {
        String joclSays = "Could not initialize native OpenCL library. Implementation library could not be loaded";
        NoOpenClPlatformException e = NativeLoader.translate(new UnsatisfiedLinkError(joclSays));
        String m = e.getMessage();
        assertTrue(m.startsWith("No OpenCL platform: the OpenCL loader library (libOpenCL.so) could not be loaded"), m);
        assertTrue(m.contains("UnsatisfiedLinkError: " + joclSays), m);
        assertTrue(m.contains("apt-get install ocl-icd-opencl-dev pocl-opencl-icd"), m);
        assertNull(e.getCause(), "the JNI error's trace is not carried along");
    }

    @Test
    void joclsOwnLibraryFailingKeepsOneLineNotTheNestedTraces() {
        String joclSays = "Error while loading native library \"JOCL_2_0_5-linux-x86_64\"\n"
                + "Operating system name: Linux\n---(start of nested stack traces)---\n"
                + "java.lang.UnsatisfiedLinkError: no JOCL_2_0_5-linux-x86_64 in java.library.path\n"
                + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2458)\n";
        String m = NativeLoader.translate(new UnsatisfiedLinkError(joclSays)).getMessage();
        assertTrue(m.contains("JOCL's own native library could not be loaded"), m);
        assertTrue(m.contains("Error while loading native library \"JOCL_2_0_5-linux-x86_64\""), m);
        assertTrue(m.contains("-Djava.io.tmpdir"), m);
        assertTrue(m.contains(NoOpenClPlatformException.INSTALL_COMMAND), m);
        assertFalse(m.contains("\tat ") || m.contains("nested stack traces"), m);
    }

    @Test
    void laterUsesRepeatTheFirstStoryInsteadOfNoClassDefFoundError() {
        AtomicInteger attempts = new AtomicInteger();
        NativeLoader loader = new NativeLoader(() -> {
            // What the JVM does: the static initializer fails once, then the class is unusable.
            if (attempts.incrementAndGet() == 1) {
                throw new UnsatisfiedLinkError("libOpenCL.so: cannot open shared object file");
            }
            throw new NoClassDefFoundError("Could not initialize class org.jocl.CL");
        });
        NoOpenClPlatformException first = assertThrows(NoOpenClPlatformException.class, loader::ensureLoaded);
        NoOpenClPlatformException second = assertThrows(NoOpenClPlatformException.class, loader::ensureLoaded);
        assertEquals(first.getMessage(), second.getMessage());
        assertTrue(second.getMessage().contains("cannot open shared object file"), second.getMessage());
        assertEquals(1, attempts.get());
    }

    @Test
    void zeroPlatformsOrPlatformNotFoundMeanNoPlatform() {
        NoOpenClPlatformException notFound = assertThrows(NoOpenClPlatformException.class,
                () -> OpenClLibrary.requirePlatforms(ClErrors.PLATFORM_NOT_FOUND_KHR, 0));
        assertTrue(notFound.getMessage().contains("CL_PLATFORM_NOT_FOUND_KHR"), notFound.getMessage());
        assertThrows(NoOpenClPlatformException.class, () -> OpenClLibrary.requirePlatforms(0, 0));
        OpenClException other = assertThrows(OpenClException.class, () -> OpenClLibrary.requirePlatforms(-6, 0));
        assertFalse(other instanceof NoOpenClPlatformException, "other failures stay ordinary errors");
        OpenClLibrary.requirePlatforms(0, 1);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
