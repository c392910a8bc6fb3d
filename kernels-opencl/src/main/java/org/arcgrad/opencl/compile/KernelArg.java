package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Tensor;

/** One argument of a generated kernel, in order: an output buffer, a buffer read, or an int. */
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
}
