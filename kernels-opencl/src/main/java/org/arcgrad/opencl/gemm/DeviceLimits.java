package org.arcgrad.opencl.gemm;

/**
 * What the GEMM template needs to know about a device: its kind (to pick defaults) and the
 * limits parameters are checked against. Plain data, so that rendering and validation do not
 * depend on a live OpenCL device.
 *
 * @param kind CPU, GPU or other
 * @param maxWorkGroupSize CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param maxWorkItems0 CL_DEVICE_MAX_WORK_ITEM_SIZES[0] (the N direction of our launches)
 * @param maxWorkItems1 CL_DEVICE_MAX_WORK_ITEM_SIZES[1] (the M direction)
 * @param localMemoryBytes CL_DEVICE_LOCAL_MEM_SIZE
 */
public record DeviceLimits(Kind kind, long maxWorkGroupSize, long maxWorkItems0, long maxWorkItems1,
                           long localMemoryBytes) {

    /** Device families that get different default parameters. */
    public enum Kind { CPU, GPU, OTHER }

    /** Conservative limits of the OpenCL 1.2 minimum, for validation without a device. */
    public static DeviceLimits minimum(Kind kind) {
        return new DeviceLimits(kind, 256, 256, 256, 32 * 1024);
    }
}
