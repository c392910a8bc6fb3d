package org.arcgrad.tests.opencl;

import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * One device context for all OpenCL tests in the JVM (the default device: ARCGRAD_DEVICE, else a
 * GPU, else PoCL), with an in-memory program cache so tests never write to the user's cache.
 */
public final class SharedDevice {
    private static DeviceContext context;

    private SharedDevice() {
    }

    public static synchronized DeviceContext context() {
        if (context == null) {
            context = DeviceContext.open(Devices.choose(), CacheSettings.memoryOnly());
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        }
        return context;
    }
}
