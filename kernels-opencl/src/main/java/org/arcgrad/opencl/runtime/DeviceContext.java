package org.arcgrad.opencl.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One device opened for work: an OpenCL context, one in-order command queue (with profiling on,
 * so any launch can be timed), the buffers made in it and its program cache.
 *
 * <p>Commands run in the order they are enqueued; uploads and downloads block, so data read back
 * always reflects every launch before it. Closing the context releases everything made in it.
 * Buffers and kernels may be used from one thread at a time.
 */
public final class DeviceContext implements AutoCloseable {
    private final Device device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ProgramCache programs;
    private final Set<DeviceBuffer> liveBuffers = ConcurrentHashMap.newKeySet();
    private final Set<Kernel> liveKernels = ConcurrentHashMap.newKeySet();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private volatile boolean closed;
    private volatile long baseAddressAlign;

    private DeviceContext(Device device, CacheSettings cacheSettings, int programsInMemory) {
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        int[] err = new int[1];
        this.context = CL.clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, err);
        Cl.check(err, "creating a context on device '" + device.name() + "'");
        this.queue = createQueue(context, device, err);
        this.programs = new ProgramCache(this, cacheSettings.forDevice(device.info(), System.getenv()), programsInMemory);
    }

    /** Opens {@code device} with the program cache the environment configures (ARCGRAD_CACHE, ARCGRAD_CACHE_DIR). */
    public static DeviceContext open(Device device) {
        return open(device, CacheSettings.fromEnvironment());
    }

    /**
     * Opens {@code device} with the given program cache settings, less the default disk folder
     * where the driver keeps its own cache of builds ({@link CacheSettings#forDevice}).
     */
    public static DeviceContext open(Device device, CacheSettings cacheSettings) {
        return open(device, cacheSettings, ProgramCache.MEMORY_CAPACITY);
    }

    /** As {@link #open(Device, CacheSettings)}, keeping at most {@code programsInMemory} programs in memory (tests). */
    static DeviceContext open(Device device, CacheSettings cacheSettings, int programsInMemory) {
        OpenClLibrary.ensureLoaded();
        return new DeviceContext(device, cacheSettings, programsInMemory);
    }

    // clCreateCommandQueue is deprecated since OpenCL 2.0 but, unlike its replacement, exists on 1.2 drivers too.
    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context context, Device device, int[] err) {
        cl_command_queue queue = CL.clCreateCommandQueue(context, device.id(), CL.CL_QUEUE_PROFILING_ENABLE, err);
        if (err[0] != 0) {
            CL.clReleaseContext(context);
        }
        Cl.check(err, "creating a command queue on device '" + device.name() + "'");
        return queue;
    }

    public Device device() {
        return device;
    }

    /** A float32 buffer of {@code elements} elements; its content is undefined until uploaded or written. */
    public DeviceBuffer floatBuffer(String name, long elements) {
        return buffer(name, ElementType.FLOAT32, elements);
    }

    /** An int32 buffer of {@code elements} elements; its content is undefined until uploaded or written. */
    public DeviceBuffer intBuffer(String name, long elements) {
        return buffer(name, ElementType.INT32, elements);
    }

    /** A new float32 buffer holding a copy of {@code data}. */
    public DeviceBuffer upload(String name, float[] data) {
        return floatBuffer(name, data.length).upload(data);
    }

    /** A new int32 buffer holding a copy of {@code data}. */
    public DeviceBuffer upload(String name, int[] data) {
        return intBuffer(name, data.length).upload(data);
    }

    /**
     * A read-write buffer. {@code name} appears in every error about it.
     *
     * @throws DeviceOutOfMemoryException when it exceeds the device's max allocation or the driver cannot allocate it
     */
    public DeviceBuffer buffer(String name, ElementType type, long elements) {
        ensureOpen();
        if (elements <= 0) {
            throw new IllegalArgumentException("Buffer '" + name + "' must have at least one element, not " + elements);
        }
        long bytes = Math.multiplyExact(elements, (long) type.bytes());
        DeviceBuffer buffer = DeviceBuffer.allocate(this, name, type, elements, bytes);
        liveBuffers.add(buffer);
        peakBytes.accumulateAndGet(allocatedBytes.addAndGet(bytes), Math::max);
        return buffer;
    }

    /** Builds {@code source} (or takes it from the cache) with no build options. */
    public Program build(String source) {
        return build(source, "");
    }

    /**
     * Builds an OpenCL C program for this device, or takes it from the cache (memory, then disk).
     *
     * @param options clBuildProgram options, e.g. "-cl-fast-relaxed-math"; part of the cache key
     * @throws KernelBuildException when the driver rejects it; the message has the log and the numbered source
     */
    public Program build(String source, String options) {
        ensureOpen();
        return programs.get(source, options == null ? "" : options);
    }

    /** The program cache of this context (its settings and hit counts). */
    public ProgramCache programCache() {
        return programs;
    }

    /** Waits until every enqueued command has finished; reports errors of asynchronous work. */
    public void finish() {
        ensureOpen();
        String what = "waiting for the queue of device '" + device.name() + "' to finish";
        int code = CL.clFinish(queue);
        if (ClErrors.isOutOfMemory(code)) {
            throw outOfMemory(code, what, List.of());
        }
        Cl.check(code, what);
    }

    /** Bytes held by the live buffers of this context. */
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    /**
     * The most bytes this context's buffers held at one time since it was opened: what a run
     * needed of the device's memory (the driver's own use, programs and private memory, not counted).
     */
    public long peakAllocatedBytes() {
        return peakBytes.get();
    }

    /**
     * Releases every buffer, kernel and program made here, then the queue and the context. Idempotent.
     * Everything is released even when one step fails; the first failure is thrown afterwards.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<OpenClException> failures = new ArrayList<>();
        // Finish first so the driver does not free memory a queued kernel still uses.
        attempt(failures, () -> Cl.check(CL.clFinish(queue), "finishing the queue before closing"));
        closed = true;
        for (Kernel kernel : new ArrayList<>(liveKernels)) {
            attempt(failures, kernel::release);
        }
        List<DeviceBuffer> buffers = new ArrayList<>(liveBuffers);
        buffers.sort(Comparator.comparing(b -> !b.isView())); // views before the buffers they share
        for (DeviceBuffer buffer : buffers) {
            attempt(failures, buffer::release);
        }
        failures.addAll(programs.releaseAll());
        attempt(failures, () -> Cl.check(CL.clReleaseCommandQueue(queue), "releasing the command queue"));
        attempt(failures, () -> Cl.check(CL.clReleaseContext(context), "releasing the context"));
        if (!failures.isEmpty()) {
            OpenClException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<OpenClException> failures, Runnable step) {
        try {
            step.run();
        } catch (OpenClException e) {
            failures.add(e);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The OpenCL context of device '" + device.name() + "' is closed");
        }
    }

    cl_context handle() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    void trackKernel(Kernel kernel) {
        liveKernels.add(kernel);
    }

    void forgetKernel(Kernel kernel) {
        liveKernels.remove(kernel);
    }

    void forgetBuffer(DeviceBuffer buffer) {
        if (liveBuffers.remove(buffer) && !buffer.isView()) {
            allocatedBytes.addAndGet(-buffer.bytes());
        }
    }

    /** A view shares its buffer's memory: released with the context like any buffer, but it adds no bytes. */
    void trackView(DeviceBuffer view) {
        liveBuffers.add(view);
    }

    /** CL_DEVICE_MEM_BASE_ADDR_ALIGN in bytes: where a sub-buffer may start. Read once. */
    public long baseAddressAlignBytes() {
        long bytes = baseAddressAlign;
        if (bytes == 0) {
            bytes = Math.max(1, InfoQueries.deviceUint(device.id(), CL.CL_DEVICE_MEM_BASE_ADDR_ALIGN, "the base address alignment") / 8);
            baseAddressAlign = bytes;
        }
        return bytes;
    }

    /**
     * The out-of-memory error for {@code what}, naming the buffers involved and the largest live ones:
     * errors of asynchronous work surface at a later call, so the buffer at hand may not be the culprit.
     */
    DeviceOutOfMemoryException outOfMemory(int code, String what, List<DeviceBuffer> involved) {
        List<String> names = involved.stream().map(DeviceBuffer::describe).toList();
        List<String> largest = liveBuffers.stream()
                .filter(b -> !b.isView())
                .sorted(Comparator.comparingLong(DeviceBuffer::bytes).reversed())
                .limit(3)
                .map(DeviceBuffer::describe)
                .toList();
        return DeviceOutOfMemoryException.fromDriver(device.info(), code, what, names, largest, allocatedBytes());
    }
}
