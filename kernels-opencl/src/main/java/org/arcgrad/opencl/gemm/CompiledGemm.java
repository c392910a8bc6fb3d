package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Kernel;

/**
 * A {@link GemmKernel} built in one {@link DeviceContext}, with argument checks, so callers pass
 * sizes and buffers instead of a raw argument list.
 */
public final class CompiledGemm implements AutoCloseable {

    /** Device time of one launch (profiling events) and host wall time from enqueue to the end of its sync. */
    public record Timing(long kernelNanos, long wallNanos) {
    }

    private final GemmKernel kernel;
    private final Kernel built;

    /** Validates the parameters against the context's device, then builds (through the runtime's program cache). */
    public CompiledGemm(DeviceContext context, GemmKernel kernel) {
        kernel.params().checkFits(DeviceLimits.of(context.device().info()));
        this.kernel = kernel;
        this.built = context.build(kernel.source()).kernel(kernel.name());
    }

    public GemmKernel kernel() {
        return kernel;
    }

    /**
     * Computes C = op(A)·op(B) for dense row-major float32 operands and waits for it.
     *
     * @param epilogueArgs values of the epilogue's parameters, in order (Integer, Float or DeviceBuffer)
     */
    public Timing run(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, Object... epilogueArgs) {
        GemmKernel.checkSizes(m, n, k);
        GemmVariant v = kernel.variant();
        requireElements(a, (long) v.storedRowsA(m, k) * v.storedColsA(m, k));
        requireElements(b, (long) v.storedRowsB(n, k) * v.storedColsB(n, k));
        requireElements(c, (long) m * n);
        int expected = kernel.epilogue().parameters().size();
        if (epilogueArgs.length != expected) {
            throw new IllegalArgumentException("the epilogue takes " + expected + " arguments " + kernel.epilogue().parameters()
                + ", got " + epilogueArgs.length);
        }
        int[] ld = kernel.denseLeadingDimensions(m, n, k);
        Object[] fixed = {m, n, k, a, ld[0], b, ld[1], c, ld[2]};
        Object[] args = new Object[fixed.length + epilogueArgs.length];
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(epilogueArgs, 0, args, fixed.length, epilogueArgs.length);
        built.args(args);
        long start = System.nanoTime();
        long kernelNanos = built.launchProfiled(kernel.globalSize(m, n), kernel.localSize());
        return new Timing(kernelNanos, System.nanoTime() - start);
    }

    @Override
    public void close() {
        built.release();
    }

    private static void requireElements(DeviceBuffer buffer, long needed) {
        if (buffer.elements() < needed) {
            throw new IllegalArgumentException("buffer " + buffer.describe() + " holds " + buffer.elements()
                + " elements, the product needs " + needed);
        }
    }
}
