package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Tensor;

/** One argument of a generated kernel, in order: an output buffer, a buffer read, the scratch buffer, or an int. */
public sealed interface KernelArg {
    /** The buffer of the kernel's {@code index}-th output ({@link KernelSpec#outputs()}). */
    record Output(int index) implements KernelArg {
        /** The first (usually the only) output. */
        public Output() {
            this(0);
        }
    }

    /** The buffer holding a source's or a materialized node's value. */
    record Read(Tensor node) implements KernelArg {
    }

    /** An int scalar (sizes and strides of the GEMM template). */
    record Int(int value) implements KernelArg {
    }

    /**
     * The executable's scratch buffer, of at least {@code offset + elements} floats, which holds
     * values that live from one kernel to the next only (split K's partial products, {@link
     * org.arcgrad.opencl.gemm.SplitK}; a strided convolution's phase planes, {@link
     * org.arcgrad.opencl.gemm.PhaseSplit}): what a kernel writes there is read by the very next
     * kernel ({@link BufferPlanCheck} holds plans to that), so one buffer serves them all. The
     * kernel is given the whole buffer and its region starts {@code offset} floats in, an offset
     * its source compiles in: a kernel may read one region and write another.
     */
    record Scratch(long offset, long elements, boolean written) implements KernelArg {
        /** The region at the start of the buffer. */
        public Scratch(long elements, boolean written) {
            this(0, elements, written);
        }

        long end() {
            return offset + elements;
        }
    }
}
