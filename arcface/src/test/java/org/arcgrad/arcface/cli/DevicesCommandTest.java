package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.arcgrad.opencl.runtime.Device;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.NoOpenClPlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class DevicesCommandTest {
    @Test
    void listsEveryDeviceAndMarksTheOneInUse() {
        CliRun run = CliRun.of("devices");
        assertEquals(0, run.code(), run.err());
        String text = run.out();
        for (Device d : Devices.list()) {
            assertTrue(text.contains(d.info().id() + "  " + d.info().type().word() + "  " + d.name()), text);
            assertTrue(text.contains("driver " + d.info().driverVersion() + ", OpenCL " + d.info().openclVersion()), text);
        }
        Device used = Devices.choose();
        assertTrue(text.contains("* " + used.info().id() + "  "), text);
        assertTrue(text.contains("fp64 "), text);
        assertTrue(text.contains("max allocation "), text);
    }

    @Test
    void saysWhenArcgradDeviceChoseTheDevice() throws Exception {
        String id = Devices.list().get(0).info().id();
        Result r = runChild(Map.of("ARCGRAD_DEVICE", id));
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("* " + id + "  "), r.output);
        assertTrue(r.output.contains("chosen by ARCGRAD_DEVICE=" + id), r.output);
    }

    @Test
    void aBadArcgradDeviceListsTheDevicesAndExits2() throws Exception {
        Result r = runChild(Map.of("ARCGRAD_DEVICE", "no-such-device-anywhere"));
        assertEquals(Main.BAD_INPUT, r.code, r.output);
        assertTrue(r.output.contains("OpenCL devices:"), r.output);
        assertTrue(r.output.contains("'no-such-device-anywhere' (from ARCGRAD_DEVICE=no-such-device-anywhere)"), r.output);
        assertFalse(r.output.contains("\tat "), r.output);
    }

    @Test
    void noPlatformPrintsTheInstallCommandAndExits2(@TempDir Path emptyVendors) throws Exception {
        // ocl-icd reads driver registrations from OCL_ICD_VENDORS instead of /etc/OpenCL/vendors.
        Result r = runChild(Map.of("OCL_ICD_VENDORS", emptyVendors.toString()));
        assertEquals(Main.BAD_INPUT, r.code, r.output);
        assertTrue(r.output.startsWith("arcgrad: No OpenCL platform"), r.output);
        assertTrue(r.output.contains(NoOpenClPlatformException.INSTALL_COMMAND), r.output);
        assertFalse(r.output.contains("\tat "), "no stack trace:\n" + r.output);
        assertFalse(r.output.contains("Exception"), "no exception names:\n" + r.output);
    }

    private record Result(int code, String output) {
    }

    /** Runs {@code arcgrad devices} in a child JVM, because only a child can have its own environment. */
    private static Result runChild(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "devices").redirectErrorStream(true);
        pb.environment().remove("ARCGRAD_DEVICE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ended");
        return new Result(p.exitValue(), output);
    }
}
