package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceInfo;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * What the GEMM template needs to know about a device: its type (to pick defaults) and the
 * limits parameters are checked against. Plain data, so that rendering and validation do not
 * need a live OpenCL device.
 *
 * @param type CPU, GPU, ...
 * @param maxWorkGroupSize CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param maxWorkItems0 CL_DEVICE_MAX_WORK_ITEM_SIZES[0] (the N direction of our launches)
 * @param maxWorkItems1 CL_DEVICE_MAX_WORK_ITEM_SIZES[1] (the M direction)
 * @param localMemoryBytes CL_DEVICE_LOCAL_MEM_SIZE
 */
public record DeviceLimits(DeviceType type, long maxWorkGroupSize, long maxWorkItems0, long maxWorkItems1,
                           long localMemoryBytes) {

    /**
     * Limits of a device the shared runtime found. The runtime does not report
     * CL_DEVICE_MAX_WORK_ITEM_SIZES; it is at least the work-group maximum in dimensions 0 and 1
     * on every GPU and CPU driver we know (NVIDIA 1024×1024, AMD 1024×1024, PoCL 4096×4096), so that
     * maximum stands in for both.
     */
    public static DeviceLimits of(DeviceInfo info) {
        return new DeviceLimits(info.type(), info.maxWorkGroupSize(), info.maxWorkGroupSize(), info.maxWorkGroupSize(),
            info.localMemBytes());
    }

    /** Typical limits of a device of {@code type} (256 work-items, 32 KB of local memory), for validation without one. */
    public static DeviceLimits typical(DeviceType type) {
        return new DeviceLimits(type, 256, 256, 256, 32 * 1024);
    }

    /** These limits with another type: what the plan is made for (see PlanChoice). */
    public DeviceLimits withType(DeviceType newType) {
        return new DeviceLimits(newType, maxWorkGroupSize, maxWorkItems0, maxWorkItems1, localMemoryBytes);
    }
}
