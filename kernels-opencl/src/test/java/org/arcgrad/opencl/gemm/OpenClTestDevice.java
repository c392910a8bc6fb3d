package org.arcgrad.opencl.gemm;

import org.junit.jupiter.api.Assumptions;

/** One device for all GEMM tests of a run (whatever OpenCL offers: PoCL's CPU device suffices). */
final class OpenClTestDevice {
    private static JoclDevice device;
    private static String unavailable;

    private OpenClTestDevice() {
    }

    static synchronized JoclDevice get() {
        if (device == null && unavailable == null) {
            try {
                device = JoclDevice.open();
                System.out.println("GEMM tests on OpenCL device: " + device.name() + " (" + device.limits().kind() + ")");
            } catch (IllegalStateException | UnsatisfiedLinkError e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(device != null, () -> "skipped, no OpenCL device: " + unavailable);
        return device;
    }
}
