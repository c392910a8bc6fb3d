package org.arcgrad.opencl.gemm;

/**
 * A {@link GemmKernel} built for one {@link JoclDevice}, with argument checks, so callers pass
 * sizes and buffers instead of a raw argument list.
 */
public final class CompiledGemm implements AutoCloseable {
    private final JoclDevice device;
    private final GemmKernel kernel;
    private final JoclDevice.Kernel built;

    /** Validates the parameters against the device, then builds. */
    public CompiledGemm(JoclDevice device, GemmKernel kernel) {
        kernel.params().checkFits(device.limits());
        this.device = device;
        this.kernel = kernel;
        this.built = device.build(kernel.source(), kernel.name());
    }

    public GemmKernel kernel() {
        return kernel;
    }

    /**
     * Computes C = op(A)·op(B) for dense row-major operands and waits for it.
     *
     * @param epilogueArgs values of the epilogue's parameters, in order (Integer, Float or Buffer)
     */
    public JoclDevice.Timing run(int m, int n, int k, JoclDevice.Buffer a, JoclDevice.Buffer b, JoclDevice.Buffer c,
                                 Object... epilogueArgs) {
        GemmKernel.checkSizes(m, n, k);
        GemmVariant v = kernel.variant();
        requireFloats("A", a, (long) v.storedRowsA(m, k) * v.storedColsA(m, k));
        requireFloats("B", b, (long) v.storedRowsB(n, k) * v.storedColsB(n, k));
        requireFloats("C", c, (long) m * n);
        int expected = kernel.epilogue().parameters().size();
        if (epilogueArgs.length != expected) {
            throw new IllegalArgumentException("the epilogue takes " + expected + " arguments " + kernel.epilogue().parameters()
                + ", got " + epilogueArgs.length);
        }
        int[] ld = kernel.denseLeadingDimensions(m, n, k);
        Object[] args = new Object[9 + epilogueArgs.length];
        Object[] fixed = {m, n, k, a, ld[0], b, ld[1], c, ld[2]};
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(epilogueArgs, 0, args, fixed.length, epilogueArgs.length);
        return device.launch(built, kernel.globalSize(m, n), kernel.localSize(), args);
    }

    @Override
    public void close() {
        device.release(built);
    }

    private static void requireFloats(String name, JoclDevice.Buffer buffer, long needed) {
        if (buffer.floats() < needed) {
            throw new IllegalArgumentException(name + " holds " + buffer.floats() + " floats, the product needs " + needed);
        }
    }
}
