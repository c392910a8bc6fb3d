package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.NoOpenClPlatformException;
import org.junit.jupiter.api.Assumptions;

/**
 * One context for all GEMM tests of a run, on the device arcgrad would pick (ARCGRAD_DEVICE,
 * else a GPU, else PoCL's CPU device), with a memory-only program cache so tests never write to
 * the user's home. Never closed: the JVM exit releases it.
 */
final class OpenClTestDevice {
    private static DeviceContext context;
    private static String unavailable;

    private OpenClTestDevice() {
    }

    static synchronized DeviceContext get() {
        if (context == null && unavailable == null) {
            try {
                context = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly());
                System.out.println("GEMM tests on OpenCL device: " + context.device());
            } catch (NoOpenClPlatformException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(context != null, () -> "skipped, no OpenCL device: " + unavailable);
        return context;
    }
}
