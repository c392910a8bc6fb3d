package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * One generated kernel: its name and OpenCL C source, the node it writes, the buffer nodes it
 * reads in argument order (after the output, which is always argument 0), and its launch sizes.
 *
 * @param kind   "elementwise", "reduce", "gather" or "gemm", for dumps and kernel-count tests
 * @param local  work-group size per dimension; null lets the driver choose
 */
public record KernelSpec(String name, String kind, String source, Tensor output, List<Tensor> inputs,
                         long[] global, long[] local) {
}
