package org.arcgrad.opencl.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is known about one OpenCL device: plain data, so that choosing a device and printing the
 * list can be tested without a driver.
 *
 * @param platformIndex     position of its platform in clGetPlatformIDs order
 * @param deviceIndex       position within that platform; {@code platformIndex:deviceIndex} is its id
 * @param platformName      CL_PLATFORM_NAME, e.g. "Portable Computing Language", "NVIDIA CUDA"
 * @param platformVendor    CL_PLATFORM_VENDOR, e.g. "The pocl project"
 * @param name              CL_DEVICE_NAME
 * @param vendor            CL_DEVICE_VENDOR
 * @param type              GPU, CPU, ...
 * @param computeUnits      CL_DEVICE_MAX_COMPUTE_UNITS
 * @param globalMemBytes    CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxAllocBytes     CL_DEVICE_MAX_MEM_ALLOC_SIZE, the largest single buffer
 * @param localMemBytes     CL_DEVICE_LOCAL_MEM_SIZE, what one work-group may share (tile sizes)
 * @param maxWorkGroupSize  CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param fp64              whether the device has cl_khr_fp64
 * @param driverVersion     CL_DRIVER_VERSION
 * @param deviceVersion     CL_DEVICE_VERSION, "OpenCL &lt;major.minor&gt; &lt;vendor text&gt;"
 */
public record DeviceInfo(
        int platformIndex,
        int deviceIndex,
        String platformName,
        String platformVendor,
        String name,
        String vendor,
        DeviceType type,
        int computeUnits,
        long globalMemBytes,
        long maxAllocBytes,
        long localMemBytes,
        long maxWorkGroupSize,
        boolean fp64,
        String driverVersion,
        String deviceVersion) {

    private static final Pattern OPENCL_VERSION = Pattern.compile("OpenCL\\s+(\\d+\\.\\d+)");

    /** The index spec that selects exactly this device, e.g. "0:1". */
    public String id() {
        return platformIndex + ":" + deviceIndex;
    }

    /** The OpenCL version the device supports, "3.0", parsed from {@link #deviceVersion()}. */
    public String openclVersion() {
        Matcher m = OPENCL_VERSION.matcher(deviceVersion);
        return m.find() ? m.group(1) : deviceVersion;
    }

    /** One line for lists in messages: "0:0  cpu  pthread-skylake (Portable Computing Language)". */
    public String oneLine() {
        return String.format(Locale.ROOT, "%s  %-3s  %s (%s)", id(), type.word(), name, platformName);
    }

    /** The limits that matter when an allocation fails. */
    public String memoryLimits() {
        return "max single allocation " + ByteSizes.mib(maxAllocBytes)
                + ", global memory " + ByteSizes.mib(globalMemBytes);
    }
}
