package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;

/**
 * Writes the OpenCL C of each scheduled node: a fused elementwise kernel, a reduction along one
 * axis (with its whole elementwise input fused in), or a matrix product. Shapes are static, so
 * sizes are baked in as literals and the source is specific to the graph's shapes.
 */
final class KernelRenderer {
    /** Work-group size of elementwise kernels and of work-group reductions (a power of two). */
    static final int GROUP = 64;
    /**
     * A reduction gets one work-group per output (a tree in local memory) when it has few outputs
     * and long rows; otherwise one work-item per output, looping, which keeps all units busy.
     */
    static final int SERIAL_OUTPUTS = 4096;
    static final int SERIAL_LENGTH = 256;

    private final Schedule schedule;
    private final DeviceLimits device;

    KernelRenderer(Schedule schedule, DeviceLimits device) {
        this.schedule = schedule;
        this.device = device;
    }

    KernelSpec render(Tensor node, String name) {
        if (node.op().kind() == Op.Kind.REDUCE) {
            return reduce(node, name);
        }
        if (node.op() == Op.MATMUL) {
            return GemmKernels.render(node, device);
        }
        return elementwise(node, name);
    }

    private KernelSpec elementwise(Tensor node, String name) {
        long n = checkedSize(node.shape());
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "    ", "t");
        String v = w.compute(node, Index.linear(node.shape(), Ix.var("gid", n)));
        StringBuilder src = new StringBuilder();
        src.append("__kernel void ").append(name).append("(").append(params(args)).append(") {\n")
                .append("    const int gid = get_global_id(0);\n")
                .append("    if (gid >= ").append(n).append(") return;\n")
                .append(body)
                .append("    out[gid] = ").append(v).append(";\n}\n");
        return new KernelSpec(name, "elementwise", src.toString(), node, KernelSpec.outputThenReads(inputs(args)),
                new long[] {roundUp(n, GROUP)}, new long[] {GROUP}, false);
    }

    private KernelSpec reduce(Tensor node, String name) {
        Tensor in = node.input(0);
        int axis = node.attrs().integer(0);
        if (node.op() == Op.SUM) {
            Gather g = Gather.match(in, axis);
            if (g != null) {
                return gather(node, g, name);
            }
        }
        long outputs = checkedSize(node.shape());
        long len = in.shape().dim(axis);
        checkedSize(in.shape());
        boolean sum = node.op() == Op.SUM;
        boolean serial = outputs >= SERIAL_OUTPUTS || len <= SERIAL_LENGTH;

        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "        ", "t");
        Ix o = Ix.var(serial ? "gid" : "grp", outputs);
        Index at = Index.linear(node.shape(), o).reductionFrom(in.shape(), axis, Ix.var("l", len));
        String v = w.value(in, at);

        StringBuilder src = new StringBuilder();
        src.append(serial ? "" : "__attribute__((reqd_work_group_size(" + GROUP + ",1,1)))\n")
                .append("__kernel void ").append(name).append("(").append(params(args)).append(") {\n");
        if (serial) {
            src.append("    const int gid = get_global_id(0);\n")
                    .append("    if (gid >= ").append(outputs).append(") return;\n");
        } else {
            src.append("    const int grp = get_group_id(0);\n")
                    .append("    const int lid = get_local_id(0);\n")
                    .append("    __local float part[").append(GROUP).append("];\n");
        }
        // Sums are compensated (Kahan): long fp32 sums otherwise lose digits the interpreter keeps.
        src.append("    float acc = ").append(sum ? "0.0f" : "-INFINITY").append(";\n");
        if (sum) {
            src.append("    float carry = 0.0f;\n");
        }
        src.append(serial ? "    for (int l = 0; l < " + len + "; l++) {\n"
                : "    for (int l = lid; l < " + len + "; l += " + GROUP + ") {\n")
                .append(body)
                .append(sum ? "        const float y = " + v + " - carry;\n"
                        + "        const float s = acc + y;\n"
                        + "        carry = (s - acc) - y;\n"
                        + "        acc = s;\n"
                        : "        acc = " + maxOf("acc", v) + ";\n")
                .append("    }\n");
        if (serial) {
            src.append("    out[gid] = acc;\n");
        } else {
            src.append("    part[lid] = acc;\n")
                    .append("    barrier(CLK_LOCAL_MEM_FENCE);\n")
                    .append("    for (int s = ").append(GROUP / 2).append("; s > 0; s >>= 1) {\n")
                    .append("        if (lid < s) part[lid] = ")
                    .append(sum ? "part[lid] + part[lid + s]" : maxOf("part[lid]", "part[lid + s]")).append(";\n")
                    .append("        barrier(CLK_LOCAL_MEM_FENCE);\n")
                    .append("    }\n")
                    .append("    if (lid == 0) out[grp] = part[0];\n");
        }
        src.append("}\n");
        long[] global = serial ? new long[] {roundUp(outputs, GROUP)} : new long[] {outputs * GROUP};
        return new KernelSpec(name, "reduce", src.toString(), node, KernelSpec.outputThenReads(inputs(args)), global, new long[] {GROUP}, false);
    }

    /**
     * sum(x · oneHot(labels), class axis) is x at the label's column: one read per row instead
     * of a pass over all C columns (this is Functional.gather). The other terms are 0 · x, which
     * the fp64 reference sums as 0 unless x is infinite or NaN off the label's column.
     */
    private KernelSpec gather(Tensor node, Gather g, String name) {
        long outputs = checkedSize(node.shape());
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "    ", "t");
        Index out = Index.linear(node.shape(), Ix.var("gid", outputs));
        String label = w.label(g.labels, out.withoutLastAxis(g.labels.shape()));
        Index at = out.reductionFrom(g.values.shape(), g.axis, Ix.var(label, g.values.shape().dim(g.axis)));
        String v = w.value(g.values, at);
        String src = "__kernel void " + name + "(" + params(args) + ") {\n"
                + "    const int gid = get_global_id(0);\n"
                + "    if (gid >= " + outputs + ") return;\n"
                + body
                + "    out[gid] = " + v + ";\n}\n";
        return new KernelSpec(name, "gather", src, node, KernelSpec.outputThenReads(inputs(args)), new long[] {roundUp(outputs, GROUP)}, new long[] {GROUP}, false);
    }

    /** max that keeps NaN, as the fp64 reference does (fmax would drop it). */
    private static String maxOf(String a, String b) {
        return "((" + a + ">=" + b + "||isnan(" + a + "))?" + a + ":" + b + ")";
    }

    static String params(Map<Tensor, String> args) {
        List<String> p = new ArrayList<>();
        p.add("__global float* restrict out");
        p.addAll(ExpressionWriter.parameters(args));
        return String.join(", ", p);
    }

    static List<Tensor> inputs(Map<Tensor, String> args) {
        return List.copyOf(args.keySet());
    }

    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }

    /** Kernels index with 32-bit ints; refuse what would overflow them. */
    static long checkedSize(Shape s) {
        long n = s.numel();
        if (n >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + s + " has " + n + " elements; kernels index with 32-bit ints");
        }
        return n;
    }
}
