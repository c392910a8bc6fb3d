package org.arcgrad.opencl.runtime;

import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/** Devices for tests: whatever the machine prefers (GPU or PoCL), or PoCL itself where a test is about it. */
final class TestDevices {
    private TestDevices() {
    }

    /** The device arcgrad would use here (ARCGRAD_DEVICE, else a GPU, else the CPU). */
    static Device preferred() {
        return Devices.choose();
    }

    /** PoCL's CPU device, if this machine has it. */
    static Optional<Device> pocl() {
        return Devices.list().stream().filter(TestDevices::isPocl).findFirst();
    }

    /** PoCL's CPU device, or the test is skipped (a GPU machine may have no PoCL). */
    static Device poclOrSkip() {
        Optional<Device> pocl = pocl();
        Assumptions.assumeTrue(pocl.isPresent(), "PoCL is not installed on this machine");
        return pocl.get();
    }

    static boolean isPocl(Device d) {
        String platform = (d.info().platformName() + " " + d.info().platformVendor()).toLowerCase(Locale.ROOT);
        return platform.contains("pocl") || platform.contains("portable computing language");
    }

    /** A context without the disk cache, so tests never write to the user's home. */
    static DeviceContext openMemoryOnly(Device device) {
        return DeviceContext.open(device, CacheSettings.memoryOnly());
    }
}
