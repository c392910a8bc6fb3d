package org.arcgrad.opencl.compile;

import java.util.List;
import java.util.Set;
import org.arcgrad.autodiff.Tensor;

/** Makes the buffer plan of a list of kernels: {@link BufferAssignment#of} is the one the compiler uses. */
@FunctionalInterface
public interface BufferPlanner {
    /** @param kept values read after the run, which keep their slots to its end */
    BufferAssignment plan(List<KernelSpec> kernels, Set<Tensor> kept);
}
