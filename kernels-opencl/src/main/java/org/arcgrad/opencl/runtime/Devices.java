package org.arcgrad.opencl.runtime;

import java.util.ArrayList;
import java.util.List;

import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Lists the OpenCL devices of this machine and chooses one.
 *
 * <pre>{@code
 * Device d = Devices.choose();           // ARCGRAD_DEVICE if set, else a GPU, else the CPU
 * Device cpu = Devices.choose("cpu");    // or "0:0", or "nvidia", "pocl", ...
 * }</pre>
 *
 * Every method throws {@link NoOpenClPlatformException} on a machine without OpenCL.
 */
public final class Devices {
    private Devices() {
    }

    /** All devices of all platforms, in platform then device order; never empty. */
    public static List<Device> list() {
        cl_platform_id[] platforms = OpenClLibrary.platforms();
        List<Device> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platformName = InfoQueries.platformString(platforms[p], CL.CL_PLATFORM_NAME, "the platform name");
            String platformVendor = InfoQueries.platformString(platforms[p], CL.CL_PLATFORM_VENDOR, "the platform vendor");
            cl_device_id[] ids = deviceIds(platforms[p], platformName);
            for (int d = 0; d < ids.length; d++) {
                devices.add(new Device(describe(p, d, platformName, platformVendor, ids[d]), platforms[p], ids[d]));
            }
        }
        if (devices.isEmpty()) {
            throw new NoOpenClPlatformException("No OpenCL device: " + platforms.length
                    + " OpenCL platform(s) found, but none has a device.", OpenClException.NO_CODE);
        }
        return List.copyOf(devices);
    }

    /** The facts of every device, for listings and tests. */
    public static List<DeviceInfo> infos(List<Device> devices) {
        return devices.stream().map(Device::info).toList();
    }

    /** The device {@value DeviceSpec#ENV_VARIABLE} names, or the default preference when it is unset. */
    public static Device choose() {
        return chooseFromEnvironment(list()).device();
    }

    /** The device {@code spec} names (index, type or name; blank for the default). */
    public static Device choose(String spec) {
        return choose(list(), DeviceSpec.parse(spec), "the API");
    }

    /**
     * The device a command-line option names, or when it was not given ({@code spec == null}) the
     * one {@value DeviceSpec#ENV_VARIABLE} names, else the default; a failure to match says which of
     * the two it came from ({@code option}, e.g. "--device", or the variable).
     */
    public static Device chooseForOption(String spec, String option) {
        List<Device> devices = list();
        return spec == null ? chooseFromEnvironment(devices).device() : choose(devices, DeviceSpec.parse(spec), option);
    }

    /** Like {@link #choose()}, on a list already made, and saying whether the environment decided. */
    public static DeviceChoice chooseFromEnvironment(List<Device> devices) {
        String env = System.getenv(DeviceSpec.ENV_VARIABLE);
        DeviceSpec spec = DeviceSpec.parse(env);
        Device device = choose(devices, spec, DeviceSpec.ENV_VARIABLE + "=" + (env == null ? "" : env));
        return new DeviceChoice(device, spec, !spec.isDefault());
    }

    /** The device of {@code devices} that {@code spec} selects; {@code origin} says where the spec came from. */
    public static Device choose(List<Device> devices, DeviceSpec spec, String origin) {
        DeviceInfo picked = spec.pick(infos(devices), origin);
        return devices.stream().filter(d -> d.info() == picked).findFirst().orElseThrow();
    }

    private static cl_device_id[] deviceIds(cl_platform_id platform, String platformName) {
        int[] count = new int[1];
        int code = CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        if (code == CL.CL_DEVICE_NOT_FOUND) {
            return new cl_device_id[0]; // a platform with no device is not an error; the list may still have others
        }
        Cl.check(code, "counting the devices of platform '" + platformName + "'");
        cl_device_id[] ids = new cl_device_id[count[0]];
        Cl.check(CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null),
                "listing the devices of platform '" + platformName + "'");
        return ids;
    }

    private static DeviceInfo describe(int p, int d, String platformName, String platformVendor, cl_device_id id) {
        String name = InfoQueries.deviceString(id, CL.CL_DEVICE_NAME, "the device name");
        String of = " of device '" + name + "'";
        String extensions = InfoQueries.deviceString(id, CL.CL_DEVICE_EXTENSIONS, "the extensions" + of);
        return new DeviceInfo(
                p, d, platformName, platformVendor, name,
                InfoQueries.deviceString(id, CL.CL_DEVICE_VENDOR, "the vendor" + of),
                DeviceType.fromBits(InfoQueries.deviceUlong(id, CL.CL_DEVICE_TYPE, "the type" + of)),
                InfoQueries.deviceUint(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS, "the compute units" + of),
                InfoQueries.deviceUlong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE, "the global memory size" + of),
                InfoQueries.deviceUlong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE, "the max allocation size" + of),
                InfoQueries.deviceUlong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE, "the local memory size" + of),
                InfoQueries.deviceSizeT(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE, "the max work-group size" + of),
                // The extension is the portable test: CL_DEVICE_DOUBLE_FP_CONFIG is optional before 1.2.
                extensions.contains("cl_khr_fp64"),
                InfoQueries.deviceString(id, CL.CL_DRIVER_VERSION, "the driver version" + of),
                InfoQueries.deviceString(id, CL.CL_DEVICE_VERSION, "the OpenCL version" + of));
    }
}
