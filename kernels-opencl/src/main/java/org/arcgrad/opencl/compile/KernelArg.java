package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Tensor;

/** One argument of a generated kernel, in order: the output buffer, a buffer read, or an int. */
public sealed interface KernelArg {
    /** The buffer the kernel writes (its {@link KernelSpec#output()}). */
    record Output() implements KernelArg {
    }

    /** The buffer holding a source's or a materialized node's value. */
    record Read(Tensor node) implements KernelArg {
    }

    /** An int scalar (sizes and strides of the GEMM template). */
    record Int(int value) implements KernelArg {
    }
}
