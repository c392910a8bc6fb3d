package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * One generated kernel: its name and OpenCL C source, the node it writes, its arguments in order,
 * and its launch sizes.
 *
 * @param kind   "elementwise", "reduce", "gather" or "gemm", for dumps and kernel-count tests
 * @param local  work-group size per dimension; null lets the driver choose
 * @param standalone the source is a program of its own, independent of this graph's shapes and
 *                   shared through the program cache (GEMMs); the other kernels of a plan are
 *                   built together as {@link KernelPlan#source()}
 */
public record KernelSpec(String name, String kind, String source, Tensor output, List<KernelArg> args,
                         long[] global, long[] local, boolean standalone) {

    /** The common layout of generated kernels: the output, then the buffers read. */
    static List<KernelArg> outputThenReads(List<Tensor> reads) {
        List<KernelArg> a = new ArrayList<>();
        a.add(new KernelArg.Output());
        for (Tensor t : reads) {
            a.add(new KernelArg.Read(t));
        }
        return a;
    }

    /** The buffer nodes this kernel reads, in argument order. */
    public List<Tensor> inputs() {
        List<Tensor> r = new ArrayList<>();
        for (KernelArg a : args) {
            if (a instanceof KernelArg.Read read) {
                r.add(read.node());
            }
        }
        return r;
    }
}
