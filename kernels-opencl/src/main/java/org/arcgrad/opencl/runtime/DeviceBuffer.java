package org.arcgrad.opencl.runtime;

import java.util.List;
import java.util.Optional;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_buffer_region;
import org.jocl.cl_mem;

/**
 * A float32 or int32 array in device memory, made by {@link DeviceContext#buffer}. Sizes and
 * offsets count elements, not bytes. The name appears in every error about it, so a failed
 * allocation says "'logits' (381.5 MiB)" rather than "clCreateBuffer failed".
 *
 * <p>Uploads and downloads block until done, so Java arrays can be reused right after the call.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final DeviceContext owner;
    private final String name;
    private final ElementType type;
    private final long elements;
    private final cl_mem mem;
    /** The buffer whose memory this one shares ({@link #view}), or null for an allocation of its own. */
    private final DeviceBuffer parent;
    /** Where a view starts in its parent, in elements. */
    private final long offsetInParent;
    private boolean released;

    private DeviceBuffer(DeviceContext owner, String name, ElementType type, long elements, cl_mem mem, DeviceBuffer parent,
                         long offsetInParent) {
        this.owner = owner;
        this.name = name;
        this.type = type;
        this.elements = elements;
        this.mem = mem;
        this.parent = parent;
        this.offsetInParent = offsetInParent;
    }

    static DeviceBuffer allocate(DeviceContext owner, String name, ElementType type, long elements, long bytes) {
        DeviceInfo device = owner.device().info();
        if (bytes > device.maxAllocBytes()) {
            // Drivers answer this with CL_INVALID_BUFFER_SIZE, or accept it and fail later; say it plainly now.
            throw DeviceOutOfMemoryException.tooLarge(device, name, bytes);
        }
        int[] err = new int[1];
        cl_mem mem = CL.clCreateBuffer(owner.handle(), CL.CL_MEM_READ_WRITE, bytes, null, err);
        DeviceBuffer buffer = new DeviceBuffer(owner, name, type, elements, mem, null, 0);
        int code = err[0];
        if (ClErrors.isOutOfMemory(code) || code == CL.CL_OUT_OF_HOST_MEMORY || code == CL.CL_INVALID_BUFFER_SIZE) {
            throw owner.outOfMemory(code, "allocating buffer '" + name + "'", List.of(buffer));
        }
        Cl.check(code, "allocating buffer " + buffer.describe());
        return buffer;
    }

    public String name() {
        return name;
    }

    public ElementType type() {
        return type;
    }

    /** Number of elements. */
    public long elements() {
        return elements;
    }

    public long bytes() {
        return elements * type.bytes();
    }

    public boolean isReleased() {
        return released;
    }

    /** Whether this buffer shares another's memory ({@link #view}) rather than holding its own. */
    public boolean isView() {
        return parent != null;
    }

    /** Whether this buffer and {@code other} hold any memory in common: the same buffer, or views of one. */
    public boolean sharesMemoryWith(DeviceBuffer other) {
        return root() == other.root();
    }

    private DeviceBuffer root() {
        return parent == null ? this : parent;
    }

    /**
     * Elements [offset, offset + count) of this buffer as a buffer of their own that shares this
     * one's memory (an OpenCL sub-buffer): kernels read and write it in place, nothing is copied and
     * nothing is allocated. Empty when the device cannot place a sub-buffer there: OpenCL requires
     * the offset in bytes to be a multiple of CL_DEVICE_MEM_BASE_ADDR_ALIGN; use {@link #copyTo}
     * then. A view counts no bytes of its own; release it before its buffer. A view of a view is a
     * view of the first one's buffer.
     */
    public Optional<DeviceBuffer> view(String viewName, long offset, long count) {
        ensureUsable();
        requireRange(offset, count);
        if (parent != null) {
            return parent.view(viewName, offsetInParent + offset, count);
        }
        long origin = offset * type.bytes();
        if (count <= 0 || origin % owner.baseAddressAlignBytes() != 0) {
            return Optional.empty();
        }
        int[] err = new int[1];
        cl_buffer_region region = new cl_buffer_region(origin, count * type.bytes());
        cl_mem sub = CL.clCreateSubBuffer(mem, CL.CL_MEM_READ_WRITE, CL.CL_BUFFER_CREATE_TYPE_REGION, region, err);
        Cl.check(err[0], "making a view of elements [" + offset + ", " + (offset + count) + ") of buffer " + describe());
        DeviceBuffer view = new DeviceBuffer(owner, viewName, type, count, sub, this, offset);
        owner.trackView(view);
        return Optional.of(view);
    }

    /**
     * Enqueues a copy of {@code count} elements from element {@code from} of this buffer to element
     * {@code to} of {@code target} (same context and type), on the device, after every command
     * enqueued before it; it does not wait.
     */
    public void copyTo(DeviceBuffer target, long from, long to, long count) {
        ensureUsable();
        target.ensureUsable();
        if (target.owner != owner || target.type != type) {
            throw new IllegalArgumentException("cannot copy from " + describe() + " to " + target.describe()
                    + ": another context or element type");
        }
        requireRange(from, count);
        target.requireRange(to, count);
        if (count == 0) {
            return;
        }
        int code = CL.clEnqueueCopyBuffer(owner.queue(), mem, target.mem, from * type.bytes(), to * type.bytes(),
                count * type.bytes(), 0, null, null);
        transferCheck(code, "copying " + count + " elements from buffer '" + name + "' to buffer '" + target.name + "'");
    }

    /** Copies all of {@code data} into the buffer; its length must equal {@link #elements()}. */
    public DeviceBuffer upload(float[] data) {
        requireWhole(data.length);
        return upload(data, 0);
    }

    /** Copies all of {@code data} into the buffer; its length must equal {@link #elements()}. */
    public DeviceBuffer upload(int[] data) {
        requireWhole(data.length);
        return upload(data, 0);
    }

    /** Copies {@code data} into the buffer starting at element {@code offset} (for padded buffers). */
    public DeviceBuffer upload(float[] data, long offset) {
        requireType(ElementType.FLOAT32);
        write(Pointer.to(data), offset, data.length);
        return this;
    }

    /** Copies {@code data} into the buffer starting at element {@code offset} (for padded buffers). */
    public DeviceBuffer upload(int[] data, long offset) {
        requireType(ElementType.INT32);
        write(Pointer.to(data), offset, data.length);
        return this;
    }

    /** The whole float32 buffer, after every command enqueued before this call. */
    public float[] downloadFloats() {
        float[] out = new float[wholeLength()];
        download(out, 0);
        return out;
    }

    /** The whole int32 buffer, after every command enqueued before this call. */
    public int[] downloadInts() {
        int[] out = new int[wholeLength()];
        download(out, 0);
        return out;
    }

    /** Fills {@code into} from the buffer, starting at element {@code offset}. */
    public void download(float[] into, long offset) {
        requireType(ElementType.FLOAT32);
        read(Pointer.to(into), offset, into.length);
    }

    /** Fills {@code into} from the buffer, starting at element {@code offset}. */
    public void download(int[] into, long offset) {
        requireType(ElementType.INT32);
        read(Pointer.to(into), offset, into.length);
    }

    /** Frees the device memory now rather than at context close. Idempotent. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        owner.forgetBuffer(this);
        Cl.check(CL.clReleaseMemObject(mem), "releasing buffer " + describe());
    }

    @Override
    public void close() {
        release();
    }

    /** "'logits' (float32 x 1000000, 3.8 MiB)" for messages. */
    public String describe() {
        return "'" + name + "' (" + type + " x " + elements + ", " + ByteSizes.mib(bytes()) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    DeviceContext owner() {
        return owner;
    }

    /** The handle, for kernel arguments; fails clearly on a released buffer instead of crashing the driver. */
    cl_mem handle() {
        ensureUsable();
        return mem;
    }

    private void write(Pointer source, long offset, int count) {
        ensureUsable();
        requireRange(offset, count);
        if (count == 0) {
            return;
        }
        int code = CL.clEnqueueWriteBuffer(owner.queue(), mem, true, offset * type.bytes(),
                (long) count * type.bytes(), source, 0, null, null);
        transferCheck(code, "uploading " + count + " elements to buffer '" + name + "'");
    }

    private void read(Pointer target, long offset, int count) {
        ensureUsable();
        requireRange(offset, count);
        if (count == 0) {
            return;
        }
        int code = CL.clEnqueueReadBuffer(owner.queue(), mem, true, offset * type.bytes(),
                (long) count * type.bytes(), target, 0, null, null);
        transferCheck(code, "downloading " + count + " elements from buffer '" + name + "'");
    }

    /** Lazily-allocating drivers report a failed allocation at the first transfer. */
    private void transferCheck(int code, String what) {
        if (ClErrors.isOutOfMemory(code)) {
            throw owner.outOfMemory(code, what, List.of(this));
        }
        Cl.check(code, what);
    }

    private void ensureUsable() {
        owner.ensureOpen();
        if (released) {
            throw new IllegalStateException("Buffer " + describe() + " was released");
        }
    }

    private void requireType(ElementType expected) {
        if (type != expected) {
            throw new IllegalArgumentException("Buffer '" + name + "' holds " + type + ", not " + expected);
        }
    }

    private void requireWhole(int length) {
        if (length != elements) {
            throw new IllegalArgumentException("Buffer '" + name + "' has " + elements
                    + " elements; cannot upload an array of " + length + " (use upload(data, offset) for a part)");
        }
    }

    private void requireRange(long offset, long count) {
        if (offset < 0 || offset + count > elements) {
            throw new IllegalArgumentException("Elements [" + offset + ", " + (offset + count)
                    + ") are outside buffer '" + name + "' of " + elements + " elements");
        }
    }

    private int wholeLength() {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("Buffer " + describe()
                    + " is too large for one Java array; download it in parts with download(into, offset)");
        }
        return (int) elements;
    }
}
