package org.arcgrad.opencl.runtime;

/**
 * Run in a child JVM by {@link NoPlatformTest}: lists devices the way any program would and
 * reports what happened on stdout. Exit 0: devices found; 3: {@link NoOpenClPlatformException};
 * an uncaught anything else shows its stack trace, which the test then rejects.
 */
public final class NoPlatformProbe {
    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("devices: " + Devices.list().size());
        } catch (NoOpenClPlatformException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.out.println("cause: " + e.getCause());
            System.exit(3);
        }
    }
}
