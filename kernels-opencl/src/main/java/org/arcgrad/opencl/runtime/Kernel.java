package org.arcgrad.opencl.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * One kernel of a built {@link Program}, with its arguments, ready to launch.
 *
 * <pre>{@code
 * kernel.args(x, y, 2.0f, n).launch(new long[] {Kernel.roundUp(n, 64)}, new long[] {64});
 * }</pre>
 *
 * Arguments stay set between launches (OpenCL semantics), so a loop may change only the ones
 * that differ. A kernel object is not thread-safe: use one per thread ({@link Program#kernel}
 * makes a new one each call).
 */
public final class Kernel implements AutoCloseable {
    /** A {@code __local} argument of this many bytes, for {@link #args}. */
    public record LocalMemory(long bytes) {
    }

    private final DeviceContext owner;
    private final String name;
    private final cl_kernel handle;
    private final int argCount;
    /** Buffer arguments by index, so an out-of-memory error at launch can name them. */
    private final TreeMap<Integer, DeviceBuffer> bufferArgs = new TreeMap<>();
    private final boolean[] argSet;
    private boolean released;

    Kernel(DeviceContext owner, String name, cl_kernel handle, int argCount) {
        this.owner = owner;
        this.name = name;
        this.handle = handle;
        this.argCount = argCount;
        this.argSet = new boolean[argCount];
    }

    public String name() {
        return name;
    }

    /** Number of arguments the kernel declares. */
    public int argCount() {
        return argCount;
    }

    /** Sets argument {@code index} to a buffer of the same context. */
    public Kernel set(int index, DeviceBuffer buffer) {
        if (buffer.owner() != owner) {
            throw new IllegalArgumentException("Buffer " + buffer.describe() + " belongs to another context than kernel '"
                    + name + "'");
        }
        setRaw(index, Sizeof.cl_mem, Pointer.to(buffer.handle()), () -> "buffer " + buffer.describe());
        bufferArgs.put(index, buffer);
        return this;
    }

    /** Sets argument {@code index} to an {@code int}. */
    public Kernel set(int index, int value) {
        setRaw(index, Sizeof.cl_int, Pointer.to(new int[] {value}), () -> "int " + value);
        bufferArgs.remove(index);
        return this;
    }

    /** Sets argument {@code index} to a {@code float}. */
    public Kernel set(int index, float value) {
        setRaw(index, Sizeof.cl_float, Pointer.to(new float[] {value}), () -> "float " + value);
        bufferArgs.remove(index);
        return this;
    }

    /** Sets argument {@code index}, a {@code __local} pointer, to {@code bytes} of local memory per work-group. */
    public Kernel setLocal(int index, long bytes) {
        setRaw(index, bytes, null, () -> bytes + " bytes of local memory");
        bufferArgs.remove(index);
        return this;
    }

    /**
     * Sets arguments 0, 1, 2, ... from {@link DeviceBuffer}, {@link Integer}, {@link Float} and
     * {@link LocalMemory} values; anything else (a Double from a {@code 2.0} literal, a Long) is
     * refused with a message that says what to pass instead.
     */
    public Kernel args(Object... values) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof DeviceBuffer b) {
                set(i, b);
            } else if (v instanceof Integer n) {
                set(i, n.intValue());
            } else if (v instanceof Float f) {
                set(i, f.floatValue());
            } else if (v instanceof LocalMemory local) {
                setLocal(i, local.bytes());
            } else {
                throw new IllegalArgumentException("Argument " + i + " of kernel '" + name + "' is "
                        + (v == null ? "null" : "a " + v.getClass().getSimpleName())
                        + "; pass a DeviceBuffer, an int, a float (2.0f, not 2.0) or Kernel.LocalMemory");
            }
        }
        return this;
    }

    /**
     * Enqueues the kernel and returns at once (the queue keeps the order).
     *
     * @param global work-items per dimension (1 to 3 dimensions)
     * @param local  work-group size per dimension, or null to let the driver choose; on OpenCL 1.x
     *               it must divide {@code global} ({@link #roundUp} helps)
     */
    public void launch(long[] global, long[] local) {
        enqueue(global, local, null);
    }

    /** A 1-D launch of {@code global} work-items with a driver-chosen work-group size. */
    public void launch(long global) {
        launch(new long[] {global}, null);
    }

    /**
     * Enqueues the kernel, waits for it, and returns its device execution time in nanoseconds
     * (CL_PROFILING_COMMAND_END - START). Waiting serializes the queue, so time only what you measure.
     */
    public long launchProfiled(long[] global, long[] local) {
        cl_event event = new cl_event();
        enqueue(global, local, event);
        try {
            String what = "waiting for kernel '" + name + "'";
            int code = CL.clWaitForEvents(1, new cl_event[] {event});
            if (ClErrors.isOutOfMemory(code)) {
                throw owner.outOfMemory(code, what, new ArrayList<>(bufferArgs.values()));
            }
            Cl.check(code, what);
            return profilingTime(event, CL.CL_PROFILING_COMMAND_END) - profilingTime(event, CL.CL_PROFILING_COMMAND_START);
        } finally {
            CL.clReleaseEvent(event);
        }
    }

    /** The smallest multiple of {@code multiple} that is at least {@code n}: a global size for a fixed local size. */
    public static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Frees the kernel object now rather than at context close. Idempotent. */
    public void release() {
        if (!released) {
            released = true;
            owner.forgetKernel(this);
            Cl.check(CL.clReleaseKernel(handle), "releasing kernel '" + name + "'");
        }
    }

    @Override
    public void close() {
        release();
    }

    /** {@code what} describes the value for an error message; built only on failure, as formatting costs more than the call. */
    private void setRaw(int index, long size, Pointer value, Supplier<String> what) {
        ensureUsable();
        if (index < 0 || index >= argCount) {
            throw new IllegalArgumentException("Kernel '" + name + "' has " + argCount + " arguments; index "
                    + index + " is out of range");
        }
        int code = CL.clSetKernelArg(handle, index, size, value);
        if (code != CL.CL_SUCCESS) {
            Cl.check(code, "setting argument " + index + " of kernel '" + name + "' to " + what.get());
        }
        argSet[index] = true;
    }

    private void enqueue(long[] global, long[] local, cl_event event) {
        ensureUsable();
        if (global.length < 1 || global.length > 3 || (local != null && local.length != global.length)) {
            throw new IllegalArgumentException("Kernel '" + name + "': global " + Arrays.toString(global)
                    + " and local " + Arrays.toString(local) + " must have the same 1 to 3 dimensions");
        }
        int code = CL.clEnqueueNDRangeKernel(owner.queue(), handle, global.length, null, global, local, 0, null, event);
        if (code == CL.CL_SUCCESS) {
            return; // the message below is built only on failure: a training step launches dozens of kernels
        }
        String what = "launching kernel '" + name + "' with global size " + Arrays.toString(global)
                + " and local size " + (local == null ? "chosen by the driver" : Arrays.toString(local))
                + unsetArguments();
        if (ClErrors.isOutOfMemory(code)) {
            // Lazily-allocating drivers (NVIDIA) find out at the first launch that a buffer does not fit.
            throw owner.outOfMemory(code, what, new ArrayList<>(bufferArgs.values()));
        }
        Cl.check(code, what);
    }

    private String unsetArguments() {
        List<Integer> unset = new ArrayList<>();
        for (int i = 0; i < argCount; i++) {
            if (!argSet[i]) {
                unset.add(i);
            }
        }
        return unset.isEmpty() ? "" : " (arguments never set: " + unset + ")";
    }

    private long profilingTime(cl_event event, int which) {
        long[] value = new long[1];
        Cl.check(CL.clGetEventProfilingInfo(event, which, Sizeof.cl_ulong, Pointer.to(value), null),
                "reading the profiling time of kernel '" + name + "'");
        return value[0];
    }

    private void ensureUsable() {
        owner.ensureOpen();
        if (released) {
            throw new IllegalStateException("Kernel '" + name + "' was released");
        }
    }
}
