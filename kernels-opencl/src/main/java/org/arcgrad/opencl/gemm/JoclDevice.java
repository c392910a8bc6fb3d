package org.arcgrad.opencl.gemm;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * The only class of this package that calls JOCL: one device, one context, one in-order
 * profiling queue, program builds, buffers and launches. A stop-gap until the shared runtime
 * ({@code org.arcgrad.opencl.runtime}) is on main; swapping it in means rewriting this class
 * alone.
 */
public final class JoclDevice implements AutoCloseable {

    /** A device buffer of floats. */
    public static final class Buffer {
        private final cl_mem mem;
        private final long floats;

        private Buffer(cl_mem mem, long floats) {
            this.mem = mem;
            this.floats = floats;
        }

        public long floats() {
            return floats;
        }
    }

    /** A built kernel, ready for arguments. */
    public static final class Kernel {
        private final cl_program program;
        private final cl_kernel kernel;

        private Kernel(cl_program program, cl_kernel kernel) {
            this.program = program;
            this.kernel = kernel;
        }
    }

    /** Device time (profiling events) and host wall time of one launch, including its sync. */
    public record Timing(long kernelNanos, long wallNanos) {
    }

    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String name;
    private final DeviceLimits limits;
    private final List<Kernel> kernels = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>();

    private JoclDevice(cl_device_id device) {
        this.device = device;
        this.context = clCreateContext(null, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, null);
        this.name = stringInfo(device, CL_DEVICE_NAME).trim();
        long type = longInfo(device, CL_DEVICE_TYPE);
        DeviceLimits.Kind kind = (type & CL_DEVICE_TYPE_GPU) != 0 ? DeviceLimits.Kind.GPU
            : (type & CL_DEVICE_TYPE_CPU) != 0 ? DeviceLimits.Kind.CPU : DeviceLimits.Kind.OTHER;
        long[] items = new long[3];
        clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, Sizeof.size_t * 3L, Pointer.to(items), null);
        this.limits = new DeviceLimits(kind, sizeInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE), items[0], items[1],
            longInfo(device, CL_DEVICE_LOCAL_MEM_SIZE));
    }

    /**
     * Opens the first GPU of any platform, else the first device of any kind (PoCL's CPU device
     * on a machine without GPU drivers).
     *
     * @throws IllegalStateException when there is no OpenCL platform or device
     */
    public static JoclDevice open() {
        CL.setExceptionsEnabled(true);
        List<cl_device_id> all = new ArrayList<>();
        try {
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id platform : platforms) {
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // CL_DEVICE_NOT_FOUND on this platform
                }
                cl_device_id[] devices = new cl_device_id[n[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                all.addAll(List.of(devices));
            }
        } catch (CLException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("no OpenCL platform: install an OpenCL driver, e.g. "
                + "apt-get install ocl-icd-opencl-dev pocl-opencl-icd (" + e.getMessage() + ")", e);
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no OpenCL device: install an OpenCL driver, e.g. "
                + "apt-get install ocl-icd-opencl-dev pocl-opencl-icd");
        }
        for (cl_device_id d : all) {
            if ((longInfo(d, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0) {
                return new JoclDevice(d);
            }
        }
        return new JoclDevice(all.get(0));
    }

    public String name() {
        return name;
    }

    public DeviceLimits limits() {
        return limits;
    }

    /** Builds {@code source} and returns kernel {@code kernelName}; a failure shows the source and the build log. */
    public Kernel build(String source, String kernelName) {
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, "-cl-mad-enable", null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new IllegalStateException("OpenCL build of " + kernelName + " failed: " + e.getMessage()
                + "\n--- build log ---\n" + log + "\n--- source ---\n" + numbered(source), e);
        }
        Kernel k = new Kernel(program, clCreateKernel(program, kernelName, null));
        kernels.add(k);
        return k;
    }

    public Buffer upload(float[] data) {
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
            (long) Sizeof.cl_float * Math.max(1, data.length), Pointer.to(data.length == 0 ? new float[1] : data), null);
        return track(new Buffer(mem, data.length));
    }

    public Buffer allocate(long floats) {
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) Sizeof.cl_float * Math.max(1, floats), null, null);
        return track(new Buffer(mem, floats));
    }

    public float[] read(Buffer buffer) {
        float[] out = new float[Math.toIntExact(buffer.floats)];
        clEnqueueReadBuffer(queue, buffer.mem, CL_TRUE, 0, (long) Sizeof.cl_float * out.length, Pointer.to(out), 0, null, null);
        return out;
    }

    public void release(Buffer buffer) {
        if (buffers.remove(buffer)) {
            clReleaseMemObject(buffer.mem);
        }
    }

    /**
     * Sets {@code args} (Integer, Float or Buffer, in kernel order), launches, waits, and returns
     * the profiled kernel time and the host wall time from enqueue to the end of the sync.
     */
    public Timing launch(Kernel kernel, long[] global, long[] local, Object... args) {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) {
                clSetKernelArg(kernel.kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                clSetKernelArg(kernel.kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof Buffer b) {
                clSetKernelArg(kernel.kernel, i, Sizeof.cl_mem, Pointer.to(b.mem));
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " must be Integer, Float or Buffer, got " + a);
            }
        }
        cl_event event = new cl_event();
        long start = System.nanoTime();
        clEnqueueNDRangeKernel(queue, kernel.kernel, global.length, null, global, local, 0, null, event);
        clFinish(queue);
        long wall = System.nanoTime() - start;
        long[] t0 = new long[1];
        long[] t1 = new long[1];
        clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t0), null);
        clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t1), null);
        clReleaseEvent(event);
        return new Timing(t1[0] - t0[0], wall);
    }

    public void release(Kernel kernel) {
        if (kernels.remove(kernel)) {
            clReleaseKernel(kernel.kernel);
            clReleaseProgram(kernel.program);
        }
    }

    @Override
    public void close() {
        for (Kernel k : List.copyOf(kernels)) {
            release(k);
        }
        for (Buffer b : List.copyOf(buffers)) {
            release(b);
        }
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    private Buffer track(Buffer b) {
        buffers.add(b);
        return b;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, 0, Math.max(0, bytes.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String numbered(String source) {
        StringBuilder s = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            s.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return s.toString();
    }

    private static String stringInfo(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, 0, Math.max(0, bytes.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long longInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long sizeInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
