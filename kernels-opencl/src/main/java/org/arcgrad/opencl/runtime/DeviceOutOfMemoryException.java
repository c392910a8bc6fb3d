package org.arcgrad.opencl.runtime;

import java.util.List;

/**
 * The device could not hold a buffer: either it was larger than CL_DEVICE_MAX_MEM_ALLOC_SIZE
 * (caught before asking the driver), or the driver failed to allocate it, at creation or, on
 * drivers that allocate lazily, at its first use. The message names the buffer(s), their sizes
 * and the device's limits, which is what a user needs to pick a smaller batch.
 */
public final class DeviceOutOfMemoryException extends OpenClException {
    private final transient DeviceInfo device;

    private DeviceOutOfMemoryException(DeviceInfo device, String message, int code) {
        super(message, code);
        this.device = device;
    }

    /** The device that ran out; its {@link DeviceInfo#memoryLimits()} are what a user compares sizes with. */
    public DeviceInfo device() {
        return device;
    }

    /** A buffer larger than the device allows for one allocation; no OpenCL call was made. */
    static DeviceOutOfMemoryException tooLarge(DeviceInfo device, String bufferName, long bytes) {
        return new DeviceOutOfMemoryException(device,
                "Buffer '" + bufferName + "' needs " + ByteSizes.mib(bytes) + ", more than device '"
                        + device.name() + "' allows in one allocation. Device limits: "
                        + device.memoryLimits() + ". Use smaller sizes (a smaller batch) or split the buffer.",
                NO_CODE);
    }

    /**
     * The driver reported an out-of-memory code while doing {@code what} with these buffers.
     *
     * @param buffersInvolved "'logits' (float32 x 100000000, 381.5 MiB)" style descriptions; may be empty
     * @param largestLive     the largest live buffers of the context, in the same style
     * @param allocatedBytes  what this context holds in live buffers, so the user sees the total
     */
    static DeviceOutOfMemoryException fromDriver(DeviceInfo device, int code, String what,
                                                 List<String> buffersInvolved, List<String> largestLive,
                                                 long allocatedBytes) {
        return new DeviceOutOfMemoryException(device,
                "Out of device memory: " + ClErrors.nameOf(code) + " (" + code + ") while " + what
                        + " on device '" + device.name() + "'."
                        + (buffersInvolved.isEmpty() ? "" : " Buffers involved: " + String.join(", ", buffersInvolved) + ".")
                        + " This context holds " + ByteSizes.mib(allocatedBytes) + " in live buffers"
                        + (largestLive.isEmpty() ? "" : ", the largest: " + String.join(", ", largestLive))
                        + ". Device limits: "
                        + device.memoryLimits() + ". " + ClErrors.hintFor(code) + ".",
                code);
    }
}
