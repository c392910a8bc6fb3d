package org.arcgrad.opencl.compile;

import static org.arcgrad.opencl.compile.KernelRenderer.accumulate;
import static org.arcgrad.opencl.compile.KernelRenderer.accumulators;
import static org.arcgrad.opencl.compile.KernelRenderer.checkedSize;
import static org.arcgrad.opencl.compile.KernelRenderer.groupParams;
import static org.arcgrad.opencl.compile.KernelRenderer.horizontal;
import static org.arcgrad.opencl.compile.KernelRenderer.inputs;
import static org.arcgrad.opencl.compile.KernelRenderer.maxOf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Kernels that take one row at a time along the last (contiguous) axis, on a CPU, with vector
 * lanes along the row (one work-item a row):
 * <ul>
 *   <li>a reduction over the last axis ({@link #reduce});</li>
 *   <li>a row kernel ({@link #row}) of a {@link RowLaunches} row launch: such reductions, the
 *       per-row values between them, and the elementwise nodes over the same rows that read them.
 *       Each row's results stay in registers, and the next loop over the row finds it in the
 *       core's cache: the rows are read from memory once, not once a kernel, and there is one
 *       launch instead of several. W's norms and Ŵ = W / ‖W‖ are one kernel; so are the row sum
 *       and the elementwise pass of the normalization's gradient, and a chunk's online
 *       log-sum-exp (row max, running max, sum of exp with the label's logit in the same loop,
 *       running totals).</li>
 * </ul>
 */
final class RowKernels {
    private final Schedule schedule;
    private final DeviceLimits device;

    RowKernels(Schedule schedule, DeviceLimits device) {
        this.schedule = schedule;
        this.device = device;
    }

    /**
     * Lanes along the reduced axis itself, for a reduction over the last (contiguous) axis on a
     * CPU: each work-item computes one output and reads its row {@code width} elements at a time,
     * so the loop runs on full SIMD registers. PoCL runs the sum of exp over [256, 8192] in 0.4 ns
     * an element this way against 8 ns with a work-group tree (whose strided loop it does not
     * vectorize) and the lockstep loop (whose work-items read rows apart). A length of at least
     * {@value KernelRenderer#TAIL_ROWS} that no width divides takes vectors of 16 and leaves the rest to a scalar
     * tail: an image plane of 7×7 = 49 is three vectors and one element. Shorter rows of such
     * lengths (a head's 10 classes) keep the lockstep form, neighbouring rows side by side in the
     * SIMD lanes, which also keeps the MLP recipe's results bit for bit. Null when another axis is
     * reduced or no form of lanes applies.
     */
    Lanes lanesFor(Tensor reduction) {
        Shape in = reduction.input(0).shape();
        if (device.type() != DeviceType.CPU || in.axis(reduction.attrs().integer(0)) != in.rank() - 1) {
            return null;
        }
        int len = in.dim(in.rank() - 1);
        for (int width : new int[] {16, 8, 4}) {
            if (len % width == 0) {
                return new Lanes(width, "l");
            }
        }
        return len >= KernelRenderer.TAIL_ROWS ? new Lanes(16, "l") : null;
    }

    /**
     * The members (one-pass reductions of one kind over the last axis of the same input shape) with
     * {@link #lanesFor} lanes: a vector accumulator per member (Kahan-compensated for sums, NaN
     * kept by max), its lanes combined at the end. Null when the lanes do not apply or a read
     * cannot follow them.
     */
    KernelSpec reduce(List<Tensor> members, String name) {
        Lanes lanes = lanesFor(members.get(0));
        if (lanes == null) {
            return null;
        }
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        String results = results(members, args, lanes, "", Map.of());
        if (results == null) {
            return null;
        }
        StringBuilder src = new StringBuilder("__kernel void " + name + "(" + groupParams(members.size(), args) + ") {\n")
                .append("    const int gid = get_global_id(0);\n").append(results);
        for (int i = 0; i < members.size(); i++) {
            src.append("    out").append(i).append("[gid] = h").append(i).append(";\n");
        }
        src.append("}\n");
        return new KernelSpec(name, "reduce", src.toString(), members, KernelSpec.outputsThenReads(members.size(), inputs(args)),
                new long[] {rows(members.get(0))}, null, false);
    }

    /**
     * The row kernel of a {@link RowLaunches} row launch's {@code members}, in launch order:
     * reductions over the last axis of one input shape, per-row elementwise nodes (one value a
     * row), and last the elementwise nodes over the rows. Work-item gid takes row gid: each
     * reduction in turn as {@link #reduce} does and each per-row node as a scalar, each stored and
     * kept in a register, where the later members read it; then the elementwise nodes over the row.
     * Null when the lanes do not apply, no width divides the row (no scalar tail here), a member
     * over the rows comes before another member, or a read cannot follow the lanes, including a
     * read of a member at another row.
     */
    KernelSpec row(List<Tensor> members, String name) {
        Tensor first = members.stream().filter(n -> n.op().kind() == Op.Kind.REDUCE).findFirst().orElseThrow();
        Lanes lanes = lanesFor(first);
        Shape shape = first.input(0).shape();
        Shape perRow = first.shape();
        if (lanes == null || shape.dim(shape.rank() - 1) % lanes.width() != 0) {
            return null;
        }
        List<Tensor> overRows = members.stream().filter(n -> n.op().kind() != Op.Kind.REDUCE && n.shape().equals(shape)).toList();
        int before = members.size() - overRows.size();
        if (!members.subList(before, members.size()).equals(overRows)) {
            return null;
        }
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        Map<Tensor, String> held = new LinkedHashMap<>();
        StringBuilder code = new StringBuilder();
        Index row = Index.linear(perRow, Ix.var("gid", rows(first)));
        for (int i = 0; i < before; i++) {
            Tensor m = members.get(i);
            if (m.op().kind() == Op.Kind.REDUCE) {
                // this reduction and the next ones of its kind that do not read it: one loop, one accumulator each
                List<Tensor> loop = new ArrayList<>(List.of(m));
                while (i + loop.size() < before && joinsLoop(members.get(i + loop.size()), loop)) {
                    loop.add(members.get(i + loop.size()));
                }
                for (Tensor r : loop) {
                    if (!r.input(0).shape().equals(shape) || lanesFor(r) == null) {
                        return null;
                    }
                }
                String results = results(loop, args, lanes, "r" + i + "_", held);
                if (results == null) {
                    return null;
                }
                code.append(results);
                for (int k = 0; k < loop.size(); k++) {
                    code.append("    out").append(i + k).append("[gid] = r").append(i).append("_h").append(k).append(";\n");
                    held.put(loop.get(k), "r" + i + "_h" + k);
                }
                i += loop.size() - 1;
            } else if (m.shape().equals(perRow)) {
                Set<Tensor> buffers = new HashSet<>(schedule.buffers);
                buffers.remove(m);
                ExpressionWriter w = holding(new ExpressionWriter(buffers, args, code, "    ", "p" + i + "_"), held);
                String value;
                try {
                    value = w.compute(m, row);
                } catch (VectorizeException e) {
                    return null;
                }
                code.append("    out").append(i).append("[gid] = ").append(value).append(";\n");
                held.put(m, value);
            } else {
                return null;
            }
        }
        if (!overRows.isEmpty()) {
            Set<Tensor> buffers = new HashSet<>(schedule.buffers);
            buffers.removeAll(overRows);
            StringBuilder body = new StringBuilder();
            ExpressionWriter w = holding(new ExpressionWriter(buffers, args, body, "        ", "e", lanes), held);
            Index at = rowIndex(first);
            List<String> values = new ArrayList<>();
            try {
                for (Tensor m : overRows) {
                    values.add(w.compute(m, at));
                }
            } catch (VectorizeException e) {
                return null;
            }
            code.append("    for (int l = 0; l < ").append(shape.dim(shape.rank() - 1)).append("; l += ").append(lanes.width())
                    .append(") {\n").append(body);
            for (int k = 0; k < values.size(); k++) {
                code.append("        vstore").append(lanes.width()).append("(").append(values.get(k)).append(", 0, out")
                        .append(before + k).append(" + ").append(at.linear().c()).append(");\n");
            }
            code.append("    }\n");
        }
        String src = "__kernel void " + name + "(" + groupParams(members.size(), args) + ") {\n"
                + "    const int gid = get_global_id(0);\n" + code + "}\n";
        return new KernelSpec(name, "row", src, members, KernelSpec.outputsThenReads(members.size(), inputs(args)),
                new long[] {rows(first)}, null, false);
    }

    /** Whether reduction {@code r} can share the loop of {@code loop}'s reductions: the same op, and it reads none of them. */
    private boolean joinsLoop(Tensor r, List<Tensor> loop) {
        return r.op().kind() == Op.Kind.REDUCE && r.op() == loop.get(0).op()
                && schedule.bufferReads(r).stream().noneMatch(loop::contains);
    }

    /** {@code w}, told of each held member: its own row's element, gid, in its local. */
    private static ExpressionWriter holding(ExpressionWriter w, Map<Tensor, String> held) {
        held.forEach((r, local) -> w.holding(r, Index.linear(r.shape(), Ix.var("gid", rows(r))).linear(), local));
        return w;
    }

    /** Outputs of a reduction: one work-item each. */
    private static long rows(Tensor reduction) {
        checkedSize(reduction.input(0).shape());
        return checkedSize(reduction.shape());
    }

    /** Element l of row gid of a reduction's input. */
    private static Index rowIndex(Tensor reduction) {
        Shape in = reduction.input(0).shape();
        return Index.linear(reduction.shape(), Ix.var("gid", rows(reduction)))
                .reductionFrom(in, reduction.attrs().integer(0), Ix.var("l", in.dim(in.rank() - 1)));
    }

    /**
     * Statements that leave each member's result for row gid in a local {@code <prefix>h<i>}: the
     * vector loop, the scalar tail past the last whole vector (none when the width divides the
     * row), the lanes combined. Reads of a {@code held} reduction take its local. Null when a read
     * cannot follow the lanes.
     */
    private String results(List<Tensor> members, Map<Tensor, String> args, Lanes lanes, String prefix, Map<Tensor, String> held) {
        Tensor first = members.get(0);
        long len = first.input(0).shape().dim(first.input(0).shape().rank() - 1);
        boolean sum = first.op() == Op.SUM;
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = holding(new ExpressionWriter(schedule.buffers, args, body, "        ", prefix + "t", lanes), held);
        Index at = rowIndex(first);
        List<String> values = new ArrayList<>();
        try {
            for (Tensor m : members) {
                values.add(w.value(m.input(0), at));
            }
        } catch (VectorizeException e) {
            return null;
        }
        long whole = len - len % lanes.width();
        StringBuilder tailBody = new StringBuilder();
        List<String> tailValues = new ArrayList<>();
        if (whole < len) {
            ExpressionWriter tw = holding(new ExpressionWriter(schedule.buffers, args, tailBody, "        ", prefix + "u"), held);
            for (Tensor m : members) {
                tailValues.add(tw.value(m.input(0), at));
            }
        }
        String f = lanes.floats();
        StringBuilder src = new StringBuilder()
                .append(accumulators(prefix, members.size(), sum, f, lanes.splat("0.0f"), lanes.splat("-INFINITY")))
                .append("    for (int l = 0; l < ").append(whole).append("; l += ").append(lanes.width()).append(") {\n").append(body)
                .append(accumulate(prefix, values, sum, f))
                .append("    }\n");
        if (!tailValues.isEmpty()) {
            src.append(accumulators(prefix + "tail_", members.size(), sum, "float", "0.0f", "-INFINITY"))
                    .append("    for (int l = ").append(whole).append("; l < ").append(len).append("; l++) {\n").append(tailBody)
                    .append(accumulate(prefix + "tail_", tailValues, sum, "float"))
                    .append("    }\n");
        }
        for (int i = 0; i < members.size(); i++) {
            String h = prefix + "h" + i;
            src.append(horizontal(prefix + "acc" + i, lanes.width(), sum, h));
            if (!tailValues.isEmpty()) {
                String t = prefix + "tail_acc" + i;
                src.append("    ").append(h).append(" = ").append(sum ? h + " + " + t : maxOf(h, t)).append(";\n");
            }
        }
        return src.toString();
    }
}
