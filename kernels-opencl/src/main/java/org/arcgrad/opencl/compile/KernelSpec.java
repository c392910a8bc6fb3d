package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * One generated kernel: its name and OpenCL C source, the nodes it writes (usually one; an
 * elementwise kernel may write several of the same shape, see {@link Schedule}; none for split
 * K's partial products, which go to the scratch buffer), its arguments in order, and its launch
 * sizes.
 *
 * @param kind   "elementwise", "reduce", "row" (a row reduction and the elementwise pass over its rows, {@link RowKernels}), "gather", "gemm", "gemm-fold" (a product with row reductions folded into its output stage, {@link RowFolds}), "fold-merge" (their partials merged), "gemm-partial", "split-k-sum", "phase-split", "transposed-copy", "conv" or "pool", for dumps and kernel-count tests
 * @param local  work-group size per dimension; null lets the driver choose
 * @param standalone the source is a program of its own, independent of this graph's shapes and
 *                   shared through the program cache (GEMMs); the other kernels of a plan are
 *                   built together as {@link KernelPlan#source()}
 */
public record KernelSpec(String name, String kind, String source, List<Tensor> outputs, List<KernelArg> args,
                         long[] global, long[] local, boolean standalone) {

    public KernelSpec {
        outputs = List.copyOf(outputs);
    }

    KernelSpec(String name, String kind, String source, Tensor output, List<KernelArg> args, long[] global, long[] local,
               boolean standalone) {
        this(name, kind, source, List.of(output), args, global, local, standalone);
    }

    /** The first output (the only one, except for grouped kernels, a fold's merge, and a product folded over centres with their max); a kernel writing only scratch has none. */
    public Tensor output() {
        return outputs.get(0);
    }

    /** The outputs as one line for dumps: "%12 = add [512] ..., %15 = ...". */
    public String describeOutputs() {
        StringBuilder b = new StringBuilder();
        for (Tensor t : outputs) {
            b.append(b.length() == 0 ? "" : "; ").append(t.describe());
        }
        return b.toString();
    }

    /** The common layout of generated kernels: the output, then the buffers read. */
    static List<KernelArg> outputThenReads(List<Tensor> reads) {
        return outputsThenReads(1, reads);
    }

    /** {@code outputs} output buffers, then the buffers read. */
    static List<KernelArg> outputsThenReads(int outputs, List<Tensor> reads) {
        List<KernelArg> a = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            a.add(new KernelArg.Output(i));
        }
        for (Tensor t : reads) {
            a.add(new KernelArg.Read(t));
        }
        return a;
    }

    /** Floats of the scratch buffer this kernel writes or reads ({@link KernelArg.Scratch}); 0 when none. */
    public long scratchElements() {
        long most = 0;
        for (KernelArg a : args) {
            if (a instanceof KernelArg.Scratch s) {
                most = Math.max(most, s.end());
            }
        }
        return most;
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
