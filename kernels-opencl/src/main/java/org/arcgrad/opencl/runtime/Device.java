package org.arcgrad.opencl.runtime;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** An OpenCL device that can be opened with {@link DeviceContext#open(Device)}: its facts plus its handles. */
public final class Device {
    private final DeviceInfo info;
    private final cl_platform_id platform;
    private final cl_device_id id;

    Device(DeviceInfo info, cl_platform_id platform, cl_device_id id) {
        this.info = info;
        this.platform = platform;
        this.id = id;
    }

    public DeviceInfo info() {
        return info;
    }

    /** CL_DEVICE_NAME. */
    public String name() {
        return info.name();
    }

    cl_platform_id platform() {
        return platform;
    }

    cl_device_id id() {
        return id;
    }

    @Override
    public String toString() {
        return info.oneLine();
    }
}
