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
     * The executable's scratch buffer, of at least {@code elements} floats, which holds values
     * that live from one kernel to the next only (split K's partial products, {@link
     * org.arcgrad.opencl.gemm.SplitK}): a kernel that writes it is followed by the one kernel that
     * reads it ({@link BufferPlanCheck} holds plans to that), so one buffer serves them all.
     */
    record Scratch(long elements, boolean written) implements KernelArg {
    }
}
