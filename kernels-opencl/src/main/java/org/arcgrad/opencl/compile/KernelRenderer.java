package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Writes the OpenCL C of each scheduled node: a fused elementwise kernel, a reduction along one
 * axis (with its whole elementwise input fused in), or a matrix product; on a CPU also row
 * kernels, reductions over the last axis with the elementwise pass over the same rows that reads
 * them ({@link RowKernels}). Shapes are static, so sizes are baked in as literals and the source is
 * specific to the graph's shapes.
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
    /** The shortest row (or elementwise column) that no vector width divides which still gets lanes, and a scalar tail. */
    static final int TAIL_ROWS = 32;
    /** Elementwise kernels over rows at least this wide run on a 2-D range (see elementwiseGroup). */
    static final int MIN_2D_COLUMNS = 16;

    private final Schedule schedule;
    private final DeviceLimits device;
    private final RowKernels rowKernels;

    KernelRenderer(Schedule schedule, DeviceLimits device) {
        this.schedule = schedule;
        this.device = device;
        this.rowKernels = new RowKernels(schedule, device);
    }

    KernelSpec render(Tensor node, String name) {
        if (node.op().kind() == Op.Kind.REDUCE) {
            return reduce(node, name);
        }
        if (node.op() == Op.MATMUL) {
            throw new IllegalArgumentException("a matrix product renders through GemmKernels (one kernel, or split K's two): "
                    + node.describe());
        }
        if ((node.op() == Op.IM2COL || node.op() == Op.COL2IM) && device.type() == DeviceType.CPU) {
            return ConvKernels.byRows(node, name);
        }
        if (node.op().kind() == Op.Kind.WINDOW) {
            return node.op() == Op.MAX_POOL2D_SELECT || node.op() == Op.MAX_POOL2D_SCATTER
                    ? PoolKernels.render(node, name) : ConvKernels.render(node, name);
        }
        return elementwise(node, name);
    }

    /** The kernel of a {@link RowLaunches} row launch, or null where it does not apply ({@link RowKernels#row}). */
    KernelSpec row(List<Tensor> members, String name) {
        return rowKernels.row(members, name);
    }

    private KernelSpec elementwise(Tensor node, String name) {
        return elementwiseGroup(List.of(node), name);
    }

    /**
     * One kernel computing one or several elementwise nodes of the same shape (a {@link Schedule}
     * group) at each index, with one output buffer each. Members are computed inline where another
     * member uses them (not read from a buffer), and shared subexpressions once per element.
     *
     * <p>Over a matrix (or a stack of rows) the kernel runs on a 2-D range: work-item id 0 is the
     * column, id 1 the row. Operands broadcast along rows ([1, C] bias, batch-norm statistics) are
     * then read at the column index itself: neighbouring work-items read neighbouring elements,
     * which a CPU driver vectorizes, where a flat index would read them at gid % C, a gather per
     * element (PoCL: 4x slower on [256, 256]).
     */
    KernelSpec elementwiseGroup(List<Tensor> members, String name) {
        Shape shape = members.get(0).shape();
        long n = checkedSize(shape);
        int rank = shape.rank();
        boolean twoD = rank >= 2 && shape.dim(rank - 1) >= MIN_2D_COLUMNS;
        if (device.type() == DeviceType.CPU) {
            KernelSpec vector = vectorElementwise(members, name);
            if (vector != null) {
                return vector;
            }
        }
        Index at;
        long[] global;
        long[] local;
        String head;
        if (twoD) {
            int cols = shape.dim(rank - 1);
            long rows = n / cols;
            at = matrixIndex(shape);
            int l0 = (int) Math.min(GROUP, roundUp(cols, 16));
            global = new long[] {roundUp(cols, l0), rows};
            local = new long[] {l0, 1};
            head = "    const int col = get_global_id(0);\n    const int row = get_global_id(1);\n"
                    + (global[0] > cols ? "    if (col >= " + cols + ") return;\n" : "");
        } else {
            at = Index.linear(shape, Ix.var("gid", n));
            global = new long[] {roundUp(n, GROUP)};
            local = new long[] {GROUP};
            head = "    const int gid = get_global_id(0);\n    if (gid >= " + n + ") return;\n";
        }
        return elementwiseKernel(members, name, at, head, null, false, global, local, null).spec();
    }

    /** An elementwise kernel and what its reads cost: buffer reads, and how many of them are per-lane gathers. */
    private record Rendered(KernelSpec spec, int width, int loads, int gathers, boolean tail) {
        /** Fewer gathers first, then no scalar tail, then wider vectors. */
        boolean betterThan(Rendered o) {
            if (gathers != o.gathers) {
                return gathers < o.gathers;
            }
            return tail != o.tail ? !tail : width > o.width;
        }
    }

    /**
     * The kernel of an elementwise group once its index and launch are chosen: the members
     * computed at {@code at} (each shared node once), each stored to its output, one element or
     * one vector of {@code lanes} at a time. With a {@code tail} (a 2-D range whose column no
     * vector width divides), a work-item whose vector would pass the row's end computes its
     * remaining columns one at a time at {@code tail}'s index, whose column variable is "t".
     */
    private Rendered elementwiseKernel(List<Tensor> members, String name, Index at, String head, Lanes lanes, boolean gathers,
                                       long[] global, long[] local, TailColumns tail) {
        java.util.Set<Tensor> buffers = new java.util.HashSet<>(schedule.buffers);
        members.forEach(buffers::remove);
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder code = new StringBuilder();
        ExpressionWriter w;
        if (tail == null) {
            w = storeMembers(members, buffers, args, code, at, lanes, gathers, "    ", "t");
        } else {
            code.append("    if (col + ").append(lanes.width()).append(" <= ").append(tail.columns()).append(") {\n");
            w = storeMembers(members, buffers, args, code, at, lanes, gathers, "        ", "t");
            code.append("    } else {\n        for (int t = col; t < ").append(tail.columns()).append("; t++) {\n");
            storeMembers(members, buffers, args, code, tail.at(), null, false, "            ", "u");
            code.append("        }\n    }\n");
        }
        String src = "__kernel void " + name + "(" + groupParams(members.size(), args) + ") {\n" + head + code + "}\n";
        KernelSpec spec = new KernelSpec(name, "elementwise", src, members,
                KernelSpec.outputsThenReads(members.size(), inputs(args)), global, local, false);
        return new Rendered(spec, lanes == null ? 1 : lanes.width(), w.loads(), w.gathered(), tail != null);
    }

    /**
     * Appends to {@code code} the statements computing each member at {@code at} and storing it
     * to its output (out0, out1, ...): one element, or one vector of {@code lanes}. Returns the
     * writer, which counts the reads it rendered.
     */
    private static ExpressionWriter storeMembers(List<Tensor> members, java.util.Set<Tensor> buffers, Map<Tensor, String> args,
                                                 StringBuilder code, Index at, Lanes lanes, boolean gathers, String indent,
                                                 String prefix) {
        ExpressionWriter w = new ExpressionWriter(buffers, args, code, indent, prefix, lanes, gathers);
        List<String> values = new ArrayList<>();
        for (Tensor m : members) {
            values.add(w.compute(m, at));
        }
        String offset = at.linear().c();
        for (int i = 0; i < members.size(); i++) {
            code.append(lanes == null ? indent + "out" + i + "[" + offset + "] = " + values.get(i) + ";\n"
                    : indent + "vstore" + lanes.width() + "(" + values.get(i) + ", 0, out" + i + " + " + offset + ");\n");
        }
        return w;
    }

    /** The scalar tail of a row whose length no vector width divides: its length and the index of column t. */
    private record TailColumns(long columns, Index at) {
    }

    /**
     * Where the lanes of an explicit-vector elementwise kernel run: along the flat index
     * ({@code columns} = 0), or along the column of a 2-D range whose column covers one or more
     * trailing axes ({@code columns} elements; the row is the rest).
     */
    private record VectorLayout(long columns, Lanes lanes, boolean tail) {
    }

    /**
     * The elementwise group with explicit vectors on a CPU, or null for the scalar form.
     *
     * <p>Why: PoCL vectorizes a scalar kernel across the work-items of a group only where it can
     * if-convert all of it; the margin head's backward over [256, 100 000] (a sqrt, an exp, two
     * divisions, eight selects an element) ran at 37-45 ms that way and at 13-17 ms written as
     * float16 (measured side by side on 2 EPYC cores with AVX-512).
     *
     * <p>Candidates: the flat index, and 2-D ranges whose column covers the last 1, 2, ... axes (a
     * [N, C, 14, 14] plane as one column of 196, where per-channel values are uniform across the
     * lanes and the conv products' [C, N·196] layout is read contiguously), each with the widest of
     * 16, 8 and 4 lanes that divides its length; a column that none divides but that is at least
     * {@link #TAIL_ROWS} long takes 16 lanes and a scalar tail (a 7×7 plane: three vectors and one
     * position). The candidate whose reads are all vector loads or broadcasts wins, without a
     * tail before with one, the widest first (the 7×7 layers' batch norm in NCHW: 2.2 ms as scalar
     * code, 0.4 with a tail); failing that, the one with the fewest per-lane gathers, if they are
     * at most half of its reads (a transposed operand beside a contiguous one); failing that, none.
     */
    private KernelSpec vectorElementwise(List<Tensor> members, String name) {
        List<VectorLayout> layouts = vectorLayouts(members.get(0).shape());
        for (boolean gathers : new boolean[] {false, true}) {
            Rendered best = null;
            for (VectorLayout layout : layouts) {
                Rendered r;
                try {
                    r = vectorElementwise(members, name, layout, gathers);
                } catch (VectorizeException e) {
                    continue; // a read the lanes cannot follow (a gather when not allowed, random numbers)
                }
                if (r.gathers() * 2 <= r.loads() && (best == null || r.betterThan(best))) {
                    best = r;
                }
            }
            if (best != null) {
                return best.spec();
            }
        }
        return null;
    }

    /**
     * Every 2-D split (the column over the last 1, 2, ... axes), then the flat index, each where
     * one of 16, 8, 4 divides its length, with the widest that does; then the 2-D splits that none
     * divides, at least {@link #TAIL_ROWS} long, with 16 lanes and a scalar tail. Ties go to the
     * earlier: a matrix keeps its rows as the 2-D range's rows.
     */
    private static List<VectorLayout> vectorLayouts(Shape shape) {
        List<VectorLayout> layouts = new ArrayList<>();
        List<VectorLayout> tails = new ArrayList<>();
        long columns = 1;
        for (int axes = 1; axes < shape.rank(); axes++) {
            columns *= shape.dim(shape.rank() - axes);
            if (columns < shape.numel() && !addLayout(layouts, columns, "col") && columns >= TAIL_ROWS) {
                tails.add(new VectorLayout(columns, new Lanes(16, "col"), true));
            }
        }
        addLayout(layouts, shape.numel(), "gid");
        layouts.addAll(tails);
        return layouts;
    }

    /** Adds the layout of the widest of 16, 8, 4 that divides {@code length}; false when none does. */
    private static boolean addLayout(List<VectorLayout> into, long length, String var) {
        for (int width : new int[] {16, 8, 4}) {
            if (length % width == 0) {
                into.add(new VectorLayout(var.equals("gid") ? 0 : length, new Lanes(width, var), false));
                return true;
            }
        }
        return false;
    }

    /**
     * The elementwise group with explicit vectors in one layout: work-item (x, y) computes columns
     * x·width .. x·width + width − 1 of row y (or elements gid·width.. of a flat range), with vector
     * loads, broadcasts of values uniform across the lanes, per-lane gathers where allowed, and one
     * vector store per member.
     *
     * @throws VectorizeException when a read is neither contiguous nor uniform across the lanes and gathers are not allowed
     */
    private Rendered vectorElementwise(List<Tensor> members, String name, VectorLayout layout, boolean gathers) {
        Shape shape = members.get(0).shape();
        long n = checkedSize(shape);
        int width = layout.lanes().width();
        Index at;
        long[] global;
        String head;
        if (layout.columns() > 0) {
            long cols = layout.columns();
            Ix row = Ix.var("row", n / cols);
            at = Index.linear(shape, row.times(cols).plus(Ix.var("col", cols)));
            global = new long[] {(cols + width - 1) / width, n / cols};
            head = "    const int col = get_global_id(0) * " + width + ";\n    const int row = get_global_id(1);\n";
            if (layout.tail()) {
                TailColumns tail = new TailColumns(cols, Index.linear(shape, row.times(cols).plus(Ix.var("t", cols))));
                return elementwiseKernel(members, name, at, head, layout.lanes(), gathers, global, null, tail);
            }
        } else {
            at = Index.linear(shape, Ix.var("gid", n));
            global = new long[] {n / width};
            head = "    const int gid = get_global_id(0) * " + width + ";\n";
        }
        return elementwiseKernel(members, name, at, head, layout.lanes(), gathers, global, null, null);
    }

    /** The index of a matrix (or stack of rows) on a 2-D range: col = work-item id 0, row = id 1. */
    private static Index matrixIndex(Shape shape) {
        int rank = shape.rank();
        long rows = shape.numel() / shape.dim(rank - 1);
        Ix row = Ix.var("row", rows);
        Ix[] multi = new Ix[rank];
        multi[rank - 1] = Ix.var("col", shape.dim(rank - 1));
        long inner = 1;
        for (int k = rank - 2; k >= 0; k--) {
            multi[k] = row.div(inner).mod(shape.dim(k));
            inner *= shape.dim(k);
        }
        return Index.multi(shape, multi);
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
        if (isSerial(node)) {
            return reduceGroup(List.of(node), name);
        }
        KernelSpec rows = rowKernels.reduce(List.of(node), name);
        return rows != null ? rows : workGroupReduce(node, name);
    }

    /** A few long rows: one work-group per output, a strided loop per work-item, then a tree in local memory. */
    private KernelSpec workGroupReduce(Tensor node, String name) {
        Tensor in = node.input(0);
        int axis = node.attrs().integer(0);
        long outputs = checkedSize(node.shape());
        long len = in.shape().dim(axis);
        checkedSize(in.shape());
        boolean sum = node.op() == Op.SUM;
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "        ", "t");
        Index at = Index.linear(node.shape(), Ix.var("grp", outputs)).reductionFrom(in.shape(), axis, Ix.var("l", len));
        String v = w.value(in, at);
        StringBuilder src = new StringBuilder();
        src.append("__attribute__((reqd_work_group_size(" + GROUP + ",1,1)))\n")
                .append("__kernel void ").append(name).append("(").append(params(args)).append(") {\n")
                .append("    const int grp = get_group_id(0);\n")
                .append("    const int lid = get_local_id(0);\n")
                .append("    __local float part[").append(GROUP).append("];\n")
                .append(accumulators(1, sum, "float", "0.0f", "-INFINITY"))
                .append("    for (int l = lid; l < " + len + "; l += " + GROUP + ") {\n")
                .append(body)
                .append(accumulate(List.of(v), sum, "float"))
                .append("    }\n")
                .append("    part[lid] = acc0;\n")
                .append("    barrier(CLK_LOCAL_MEM_FENCE);\n")
                .append("    for (int s = ").append(GROUP / 2).append("; s > 0; s >>= 1) {\n")
                .append("        if (lid < s) part[lid] = ")
                .append(sum ? "part[lid] + part[lid + s]" : maxOf("part[lid]", "part[lid + s]")).append(";\n")
                .append("        barrier(CLK_LOCAL_MEM_FENCE);\n")
                .append("    }\n")
                .append("    if (lid == 0) out[grp] = part[0];\n")
                .append("}\n");
        return new KernelSpec(name, "reduce", src.toString(), node, KernelSpec.outputThenReads(inputs(args)),
                new long[] {outputs * GROUP}, new long[] {GROUP}, false);
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

    /** A reduction done by one work-item per output, looping over the axis (else by a work-group tree). */
    static boolean isSerial(Tensor reduction) {
        long outputs = reduction.shape().numel();
        long len = reduction.input(0).shape().dim(reduction.attrs().integer(0));
        return outputs >= SERIAL_OUTPUTS || len <= SERIAL_LENGTH;
    }

    /**
     * One-pass reductions of one kind over the same input shape and axis (a {@link Schedule}
     * group, or a single reduction) in one kernel: one loop over the axis, one accumulator and one
     * output per member, their fused inputs computed once per element where they share
     * subexpressions. One work-item per output (or per vector of outputs, see {@link #vectorReduce}).
     */
    KernelSpec reduceGroup(List<Tensor> members, String name) {
        Lanes lanes = device.type() == DeviceType.CPU ? lanesFor(members.get(0)) : null;
        if (lanes != null) {
            try {
                return vectorReduce(members, name, lanes);
            } catch (VectorizeException e) {
                // a read the lanes cannot follow: the scalar form below
            }
        }
        KernelSpec rows = rowKernels.reduce(members, name);
        if (rows != null) {
            return rows;
        }
        Tensor first = members.get(0);
        Tensor in = first.input(0);
        int axis = first.attrs().integer(0);
        long outputs = checkedSize(first.shape());
        long len = in.shape().dim(axis);
        checkedSize(in.shape());
        boolean sum = first.op() == Op.SUM;
        // CPU drivers (PoCL) vectorize across the work-items of a group only around code that all
        // of them run alike; a loop inside each work-item stays scalar unless a barrier in it
        // makes it uniform. So on a CPU no work-item leaves early (the index is clamped, the store
        // guarded) and each iteration ends at a barrier: 3x faster column sums of [256, 512].
        // With fewer outputs than a group, most work-items would only repeat the last one's work.
        boolean lockstep = device.type() == DeviceType.CPU && outputs >= GROUP;
        boolean padded = roundUp(outputs, GROUP) > outputs;
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "        ", "t");
        Index at = Index.linear(first.shape(), Ix.var("gid", outputs)).reductionFrom(in.shape(), axis, Ix.var("l", len));
        List<String> values = new ArrayList<>();
        for (Tensor m : members) {
            values.add(w.value(m.input(0), at));
        }
        StringBuilder src = new StringBuilder("__kernel void " + name + "(" + groupParams(members.size(), args) + ") {\n");
        if (lockstep) {
            src.append("    const int gid0 = get_global_id(0);\n")
                    .append(padded ? "    const int gid = gid0 < " + outputs + " ? gid0 : " + (outputs - 1) + ";\n"
                            : "    const int gid = gid0;\n");
        } else {
            src.append("    const int gid = get_global_id(0);\n    if (gid >= ").append(outputs).append(") return;\n");
        }
        src.append(accumulators(members.size(), sum, "float", "0.0f", "-INFINITY"))
                .append("    for (int l = 0; l < ").append(len).append("; l++) {\n").append(body)
                .append(accumulate(values, sum, "float"))
                .append(lockstep ? "        barrier(CLK_LOCAL_MEM_FENCE);\n" : "").append("    }\n");
        String target = lockstep ? "gid0" : "gid";
        for (int i = 0; i < members.size(); i++) {
            src.append(lockstep && padded ? "    if (gid0 < " + outputs + ") " : "    ")
                    .append("out").append(i).append("[").append(target).append("] = acc").append(i).append(";\n");
        }
        src.append("}\n");
        return new KernelSpec(name, "reduce", src.toString(), members, KernelSpec.outputsThenReads(members.size(), inputs(args)),
                new long[] {roundUp(outputs, GROUP)}, new long[] {GROUP}, false);
    }

    /**
     * Lanes for a reduction over a leading axis on a CPU: each work-item sums {@code width}
     * neighbouring outputs of the last axis as one vector, so the loop over the reduced axis
     * runs on full SIMD registers without relying on the driver to vectorize across work-items
     * (PoCL: 3x faster than the lockstep loop on [256, 512] column sums). Null when the last
     * axis is reduced or too narrow.
     */
    private static Lanes lanesFor(Tensor reduction) {
        Shape out = reduction.shape();
        int cols = out.dim(out.rank() - 1);
        if (reduction.attrs().integer(0) == out.rank() - 1) {
            return null;
        }
        for (int width : new int[] {16, 8, 4}) {
            if (cols % width == 0) {
                return new Lanes(width, "c");
            }
        }
        return null;
    }

    private KernelSpec vectorReduce(List<Tensor> members, String name, Lanes lanes) {
        Tensor first = members.get(0);
        Tensor in = first.input(0);
        int axis = first.attrs().integer(0);
        Shape shape = first.shape();
        long outputs = checkedSize(shape);
        long len = in.shape().dim(axis);
        checkedSize(in.shape());
        int rank = shape.rank();
        int cols = shape.dim(rank - 1);
        long rows = outputs / cols;
        int vectorsPerRow = cols / lanes.width();
        boolean sum = first.op() == Op.SUM;
        Ix row = Ix.var("r", rows);
        Ix[] multi = new Ix[rank];
        multi[rank - 1] = Ix.var(lanes.var(), cols);
        long inner = 1;
        for (int k = rank - 2; k >= 0; k--) {
            multi[k] = row.div(inner).mod(shape.dim(k));
            inner *= shape.dim(k);
        }
        Index out = Index.multi(shape, multi);
        Index at = out.reductionFrom(in.shape(), axis, Ix.var("l", len));
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "        ", "t", lanes);
        List<String> values = new ArrayList<>();
        for (Tensor m : members) {
            values.add(w.value(m.input(0), at));
        }
        String f = lanes.floats();
        StringBuilder src = new StringBuilder("__kernel void " + name + "(" + groupParams(members.size(), args) + ") {\n")
                .append("    const int gid = get_global_id(0);\n")
                .append("    const int r = gid / ").append(vectorsPerRow).append(";\n")
                .append("    const int c = (gid % ").append(vectorsPerRow).append(") * ").append(lanes.width()).append(";\n")
                .append(accumulators(members.size(), sum, f, lanes.splat("0.0f"), lanes.splat("-INFINITY")))
                .append("    for (int l = 0; l < ").append(len).append("; l++) {\n").append(body)
                .append(accumulate(values, sum, f))
                .append("    }\n");
        for (int i = 0; i < members.size(); i++) {
            src.append("    vstore").append(lanes.width()).append("(acc").append(i).append(", 0, out").append(i).append(" + ")
                    .append(out.linear().c()).append(");\n");
        }
        src.append("}\n");
        return new KernelSpec(name, "reduce", src.toString(), members, KernelSpec.outputsThenReads(members.size(), inputs(args)),
                new long[] {outputs / lanes.width()}, null, false);
    }

    /**
     * Declares {@code result}, the lanes of vector {@code v} combined in order: sum, or max keeping
     * NaN. Through a private array (vstore, then a loop), as the GEMM template's edge path does:
     * Oclgrind takes the halves of a float16 (.lo/.hi) for partly uninitialized values.
     */
    static String horizontal(String v, int width, boolean sum, String result) {
        String lanes = result + "_lanes";
        return "    float " + lanes + "[" + width + "];\n"
                + "    vstore" + width + "(" + v + ", 0, " + lanes + ");\n"
                + "    float " + result + " = " + lanes + "[0];\n"
                + "    for (int v = 1; v < " + width + "; ++v) {\n"
                + "        " + result + " = " + (sum ? result + " + " + lanes + "[v]" : maxOf(result, lanes + "[v]")) + ";\n"
                + "    }\n";
    }

    /** Declarations of one accumulator per member (and a Kahan carry per member for sums). */
    static String accumulators(int count, boolean sum, String type, String zero, String minusInfinity) {
        return accumulators("", count, sum, type, zero, minusInfinity);
    }

    /** Same, named {@code <prefix>acc<i>} and {@code <prefix>carry<i>}. */
    static String accumulators(String prefix, int count, boolean sum, String type, String zero, String minusInfinity) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("    ").append(type).append(" ").append(prefix).append("acc").append(i).append(" = ")
                    .append(sum ? zero : minusInfinity).append(";\n");
            if (sum) {
                b.append("    ").append(type).append(" ").append(prefix).append("carry").append(i).append(" = ").append(zero).append(";\n");
            }
        }
        return b.toString();
    }

    /**
     * One step of each accumulator. Sums are compensated (Kahan): long fp32 sums otherwise lose
     * digits the interpreter keeps. The carry is dropped once the sum is not finite: +∞ − +∞ would
     * make it NaN, and with it every later step, where the plain sum stays +∞ (and x / √Σx² is 0,
     * not NaN). Max keeps NaN. Written for scalar or vector types alike.
     */
    static String accumulate(List<String> values, boolean sum, String type) {
        return accumulate("", values, sum, type);
    }

    /** Same, into the accumulators named with {@code prefix}. */
    static String accumulate(String prefix, List<String> values, boolean sum, String type) {
        StringBuilder b = new StringBuilder();
        boolean vector = !type.equals("float");
        for (int i = 0; i < values.size(); i++) {
            String acc = prefix + "acc" + i;
            String carry = prefix + "carry" + i;
            if (sum) {
                b.append("        { const ").append(type).append(" y = ").append(values.get(i)).append(" - ").append(carry).append(";\n")
                        .append("          const ").append(type).append(" s = ").append(acc).append(" + y;\n")
                        .append("          ").append(carry).append(" = select((").append(type).append(")(0.0f), (s - ").append(acc)
                        .append(") - y, isfinite(s));\n")
                        .append("          ").append(acc).append(" = s; }\n");
            } else if (vector) {
                b.append("        ").append(acc).append(" = select(").append(values.get(i)).append(", ").append(acc).append(", (")
                        .append(acc).append(" >= ").append(values.get(i)).append(") || isnan(").append(acc).append("));\n");
            } else {
                b.append("        ").append(acc).append(" = ").append(maxOf(acc, values.get(i))).append(";\n");
            }
        }
        return b.toString();
    }

    /** out0 … out{n−1}, then the buffers read. */
    static String groupParams(int outputs, Map<Tensor, String> args) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            p.add("__global float* restrict out" + i);
        }
        p.addAll(ExpressionWriter.parameters(args));
        return String.join(", ", p);
    }

    /** max that keeps NaN, as the fp64 reference does (fmax would drop it). */
    static String maxOf(String a, String b) {
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
