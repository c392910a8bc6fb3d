package org.arcgrad.opencl.gemm;

import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.opencl.runtime.FormBuildOptions;
import org.arcgrad.opencl.runtime.Kernel;

/**
 * A {@link GemmKernel} built in one {@link DeviceContext}, with argument checks, so callers pass
 * sizes and buffers instead of a raw argument list. {@link #splitK} builds the pair the compiler
 * gives a product of few tiles and a long K ({@link SplitK}), so a benchmark times what runs.
 */
public final class CompiledGemm implements AutoCloseable {

    /** Device time of one launch (profiling events) and host wall time from enqueue to the end of its sync. */
    public record Timing(long kernelNanos, long wallNanos) {
    }

    private final DeviceContext context;
    private final GemmKernel kernel;
    private final Kernel built;
    /** Split K: slices of K (1 for a plain product), the sum kernel and the partial blocks' buffer (grown on demand). */
    private final int slices;
    private final Kernel sum;
    private DeviceBuffer partials;

    /** Validates the parameters against the context's device, then builds (through the runtime's program cache). */
    public CompiledGemm(DeviceContext context, GemmKernel kernel) {
        this(context, kernel, 1);
    }

    private CompiledGemm(DeviceContext context, GemmKernel kernel, int slices) {
        kernel.params().checkFits(DeviceLimits.of(context.device().info()));
        this.context = context;
        this.kernel = kernel;
        this.slices = slices;
        // local-memory tiles are the GPU form: built as a GPU plan's GEMMs are on this device
        String options = FormBuildOptions.of(kernel.params().localMemory() ? DeviceType.GPU : DeviceType.CPU,
                context.device().info().type());
        this.built = context.build(kernel.source(), options).kernel(kernel.name());
        this.sum = slices == 1 ? null : context.build(SplitK.sumSource(), options).kernel(SplitK.SUM_KERNEL);
    }

    /**
     * The product M×N×K as the compiler computes it: with {@code slices} = {@link SplitK#slices}
     * above 1, partial products over slices of K and their sum (a plain product at 1). Sizes at
     * run time must be M, N, K.
     */
    public static CompiledGemm splitK(DeviceContext context, GemmVariant variant, GemmParams params, int slices) {
        if (slices == 1) {
            return new CompiledGemm(context, GemmTemplate.render(variant, params, Epilogue.identity()));
        }
        return new CompiledGemm(context, GemmTemplate.renderSplitK(variant, params, "arcgrad_gemm_split_k"), slices);
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
        if (slices > 1) {
            return runSplit(m, n, k, a, b, c, ld);
        }
        Object[] fixed = {m, n, k, a, ld[0], b, ld[1], c, ld[2]};
        Object[] args = new Object[fixed.length + epilogueArgs.length];
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(epilogueArgs, 0, args, fixed.length, epilogueArgs.length);
        built.args(args);
        long start = System.nanoTime();
        long kernelNanos = built.launchProfiled(kernel.globalSize(m, n), kernel.localSize());
        return new Timing(kernelNanos, System.nanoTime() - start);
    }

    private Timing runSplit(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int[] ld) {
        long elements = (long) m * n;
        if (partials == null || partials.elements() < elements * slices) {
            if (partials != null) {
                partials.release();
            }
            partials = context.floatBuffer("split K's partial products", elements * slices);
        }
        built.args(m, n, k, SplitK.sliceLength(k, slices), a, ld[0], b, ld[1], partials, ld[2]);
        sum.args(c, partials, (int) elements, slices);
        long start = System.nanoTime();
        long kernelNanos = built.launchProfiled(SplitK.globalSize(kernel, m, n, slices), SplitK.localSize(kernel));
        kernelNanos += sum.launchProfiled(SplitK.sumGlobalSize(elements), SplitK.sumLocalSize());
        return new Timing(kernelNanos, System.nanoTime() - start);
    }

    @Override
    public void close() {
        built.release();
        if (sum != null) {
            sum.release();
        }
        if (partials != null) {
            partials.release();
        }
    }

    private static void requireElements(DeviceBuffer buffer, long needed) {
        if (buffer.elements() < needed) {
            throw new IllegalArgumentException("buffer " + buffer.describe() + " holds " + buffer.elements()
                + " elements, the product needs " + needed);
        }
    }
}
