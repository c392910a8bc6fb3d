package org.arcgrad.opencl.runtime;

import org.jocl.CL;

/** The kind of an OpenCL device, from its CL_DEVICE_TYPE bits. */
public enum DeviceType {
    GPU, CPU, ACCELERATOR, OTHER;

    /** The lower-case word used in device specs and listings: "gpu", "cpu". */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static DeviceType fromBits(long bits) {
        // A device may set several bits (e.g. GPU | DEFAULT); the kind bits are checked in order.
        if ((bits & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return GPU;
        }
        if ((bits & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return CPU;
        }
        if ((bits & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return ACCELERATOR;
        }
        return OTHER;
    }
}
