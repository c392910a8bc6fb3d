package org.arcgrad.opencl.compile;

import static org.arcgrad.opencl.compile.KernelRenderer.accumulate;
import static org.arcgrad.opencl.compile.KernelRenderer.accumulators;
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
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmVariant;
import org.arcgrad.opencl.gemm.RowFold;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Row reductions of a product folded into the product's kernel, on GPU plans: where the launches
 * right after a product P [M, N] are reductions over its rows of elementwise functions of P (and of
 * values per row, per column or fed: a margin's logits f(P, labels)), with values per row
 * between them, the GEMM computes each reduction's input in its output stage and folds it into
 * running values per row ({@link RowFold}); no kernel reads P's rows again. A chunk's online
 * log-sum-exp (the row max, the running max, Σ exp(logit − running max), the label's logit)
 * becomes two kernels, the GEMM and a merge, where it was the GEMM and five.
 *
 * <p>Where the launch right after the product is a max over each K consecutive columns (a
 * sub-center head's max over a class's centres: the product viewed as [M, N / K, K], reduced over
 * the last axis), the reductions after it are over that max's rows, and the GEMM computes it
 * ({@link RowFold#centres}): its loop over the depth once per centre, the max in registers, stored
 * beside the product; the fold then reads the max where it would read the product. Only for NT
 * products, whose centres are B's rows; a max of a function of the product, or a mean over the
 * centres, keeps its kernels.
 *
 * <p>A max is a running max; a sum whose input reads none of the folded values is a running
 * sum; a sum of exp(x − q), x the input of a folded max and q a value per row at least that max
 * (the max itself, detached, or a maximum with it), is kept online: Σ exp(x − m) with m the
 * running max, rescaled by exp(m − x) when an element raises it, one exp an element. The
 * work-items sharing a row combine theirs, and each work-group, which walks its share of the
 * column tiles, writes its running values as partials to the scratch buffer; the merge
 * (one work-item a row) combines them in launch order with the values per row: the max of the
 * maxima, the sum of the sums, Σ s · exp(m − q) for an online sum (where q is −∞ or NaN, NaN, as
 * the graph gives: −∞ − −∞), and every value per row computed as its launch would. A
 * work-item's running sums are plain fp32 over its own columns (a few dozen to a few hundred at the
 * head's shapes); the merge's sums over the partials are compensated, as the reduction kernels' are.
 *
 * <p>Not folded: CPU plans (their row kernels read each row once already, and their x·Wᵀ runs as
 * TT, whose kernel rows are C's columns); products narrower than one column tile of their GEMM;
 * products split along K or read as patches; and where the work-items' running values would not
 * fit in local memory beside the GEMM's tiles.
 */
final class RowFolds {
    /**
     * Work-groups the column walk aims for, all row tiles together: enough for a GPU's compute
     * units several times over. The partials stay within an eighth of the product's size: a
     * work-group's running values per row, at most one group for every 8 · values columns.
     */
    static final int TARGET_GROUPS = 1024;

    /** A fold: the launches it takes (the product's and those after it), and its two kernels. */
    record Folded(int launches, List<KernelSpec> kernels) {
    }

    /** A folded reduction: its running value's index, and for an online sum the index of its max's. */
    private record Running(Tensor reduction, int value, int max) {
        boolean online() {
            return max >= 0;
        }
    }

    private RowFolds() {
    }

    /**
     * The fold of the product launched at {@code at} and the launches after it that it can take;
     * null where none applies (a CPU plan, where the row kernels serve, and products whose kernel
     * cannot fold rows: {@link GemmKernels#foldable}).
     */
    static Folded match(Schedule schedule, List<List<Tensor>> launches, int at, DeviceLimits device, String gemmName,
                        String mergeName) {
        List<Tensor> first = launches.get(at);
        if (device.type() == DeviceType.CPU || first.size() != 1 || first.get(0).op() != Op.MATMUL) {
            return null;
        }
        Tensor product = first.get(0);
        GemmDefaults.Choice choice = GemmKernels.foldable(product, device);
        Tensor centreMax = centreMax(launches, at, product);
        int centres = centreMax == null ? 1 : product.shape().dim(1) / centreMax.shape().dim(1);
        // the values folded: the product's, or its classes' maxima over their centres
        Tensor folded = centreMax == null ? product : centreMax;
        Shape shape = Shape.of(product.shape().dim(0), product.shape().dim(1) / centres);
        if (choice == null || shape.dim(1) < choice.params().nwg() || (centres > 1 && choice.variant() != GemmVariant.NT)) {
            // narrower than a column tile: the reductions' kernels read a few columns a row, and a
            // small graph's program stays free of a GEMM to build (about a second on PoCL); centres
            // are B's rows, so only NT reads them with a stride
            return null;
        }
        Shape rows = shape.with(1, 1);
        List<Tensor> members = new ArrayList<>();
        List<Running> running = new ArrayList<>();
        int taken = centres == 1 ? 1 : 2;
        for (int j = at + taken; j < launches.size(); j++, taken++) {
            List<Tensor> launch = launches.get(j);
            if (!running.isEmpty() && launch.stream().allMatch(n -> n.op().kind() == Op.Kind.ELEMENTWISE && n.shape().equals(rows))) {
                members.addAll(launch);
                continue;
            }
            List<Running> own = new ArrayList<>();
            for (Tensor r : launch) {
                Running f = folded(schedule, r, folded, shape, members, running, own);
                if (f == null) {
                    own = null;
                    break;
                }
                own.add(f);
            }
            if (own == null) {
                break;
            }
            members.addAll(launch);
            running.addAll(own);
        }
        if (running.isEmpty()) {
            return null;
        }
        if (choice.params().localMemoryBytes() + 4L * running.size() * choice.params().mwg() * choice.params().ndimc()
                > device.localMemoryBytes()) {
            return null; // no room beside the tiles for the work-items' running values
        }
        Map<Tensor, String> foldArgs = ExpressionWriter.newArgs();
        String foldName = gemmName + "_fold";
        String source;
        try {
            source = foldFunction(schedule, folded, shape, running, foldArgs, foldName);
        } catch (VectorizeException e) {
            return null; // an input reads P elsewhere than at its own element
        }
        if (foldArgs.containsKey(product)) {
            return null; // an input reads the product itself where the fold holds its centres' max: C is being written
        }
        int columnTiles = (int) Math.ceil((double) shape.dim(1) / choice.params().nwg());
        int rowTiles = (int) Math.ceil((double) shape.dim(0) / choice.params().mwg());
        int splits = Math.max(1, Math.min(Math.min(columnTiles, TARGET_GROUPS / rowTiles), shape.dim(1) / (8 * running.size())));
        long partials = (long) running.size() * splits * shape.dim(0);
        List<String> initial = running.stream().map(r -> r.reduction().op() == Op.MAX ? "-INFINITY" : "0.0f").toList();
        List<String> parameters = ExpressionWriter.parameters(foldArgs).stream().map(RowFolds::foldLocal).toList();
        RowFold fold = new RowFold(foldName, foldName + "_combine", source, initial, parameters, centres);
        KernelSpec gemm = GemmKernels.foldedProduct(product, centreMax, choice, fold, List.copyOf(foldArgs.keySet()), splits, partials,
                gemmName);
        KernelSpec merge = merge(schedule, members, running, rows, splits, partials, mergeName);
        return merge == null ? null : new Folded(taken, List.of(gemm, merge));
    }

    /**
     * The launch right after the product at {@code at} where it is a sub-center head's max over
     * each class's centres: one MAX over the last axis of the product viewed as [M, N / K, K],
     * K above 1, keeping that axis ([M, N / K, 1]); else null.
     */
    private static Tensor centreMax(List<List<Tensor>> launches, int at, Tensor product) {
        if (at + 1 >= launches.size() || launches.get(at + 1).size() != 1) {
            return null;
        }
        Tensor max = launches.get(at + 1).get(0);
        if (max.op() != Op.MAX || max.input(0).op() != Op.RESHAPE || max.input(0).input(0) != product) {
            return null;
        }
        Shape centres = max.input(0).shape();
        return centres.rank() == 3 && centres.dim(2) > 1 && centres.axis(max.attrs().integer(0)) == 2 && max.shape().rank() == 3
                ? max : null;
    }

    /**
     * {@code r} as a folded reduction, given the members and running values before it (and those of
     * its own launch); null where it cannot fold: not a max or sum over the rows of the folded
     * values ({@code folded}, of {@code shape}: the product or its centres' maxima), a gather, an
     * input that does not read them, or one that reads a member other than as an online sum's shift.
     */
    private static Running folded(Schedule schedule, Tensor r, Tensor folded, Shape shape, List<Tensor> members, List<Running> before,
                                  List<Running> ownLaunch) {
        Shape in = r.op().kind() == Op.Kind.REDUCE ? r.input(0).shape() : null;
        Shape rows = shape.with(1, 1);
        if (in == null || (r.op() != Op.MAX && r.op() != Op.SUM) || !in.equals(shape) || !r.shape().equals(rows)
                || in.axis(r.attrs().integer(0)) != 1 || Gather.match(r.input(0), 1) != null) {
            return null;
        }
        Set<Tensor> reads = schedule.bufferReads(r);
        int value = before.size() + ownLaunch.size();
        if (!reads.contains(folded)) {
            return null;
        }
        if (reads.stream().noneMatch(members::contains)) {
            return new Running(r, value, -1);
        }
        Tensor exp = r.input(0);
        if (r.op() != Op.SUM || exp.op() != Op.EXP || schedule.buffers.contains(exp)) {
            return null;
        }
        Tensor shifted = exp.input(0);
        if (shifted.op() != Op.SUB || schedule.buffers.contains(shifted) || !shifted.input(1).shape().equals(rows)) {
            return null;
        }
        for (Running m : before) {
            if (m.reduction().op() == Op.MAX && m.reduction().input(0) == shifted.input(0) && atLeast(shifted.input(1), m.reduction())
                    && before.stream().noneMatch(o -> o.max() == m.value()) && ownLaunch.stream().noneMatch(o -> o.max() == m.value())) {
                return new Running(r, value, m.value());
            }
        }
        return null;
    }

    /** Whether {@code q} is at least {@code max} by its form: max itself, detached, or a maximum with it. */
    private static boolean atLeast(Tensor q, Tensor max) {
        return q == max || (q.op() == Op.DETACH && atLeast(q.input(0), max))
                || (q.op() == Op.MAXIMUM && (atLeast(q.input(0), max) || atLeast(q.input(1), max)));
    }

    /** The fold's kernel parameters are named apart from the GEMM's locals (b0, b1 are its tiles' registers). */
    private static String foldLocal(String text) {
        return text.replaceAll("\\bb(\\d+)\\b", "fold_b$1");
    }

    /**
     * {@code void <name>(row, col, acc, float* s0, …, <reads>)}: each reduction's input at (row, col),
     * P's element being acc, folded into its running value; online sums before their max moves.
     */
    private static String foldFunction(Schedule schedule, Tensor folded, Shape shape, List<Running> running, Map<Tensor, String> args,
                                       String name) {
        Index at = Index.multi(shape, new Ix[] {Ix.var("row", shape.dim(0)), Ix.var("col", shape.dim(1))});
        StringBuilder body = new StringBuilder();
        ExpressionWriter w = new ExpressionWriter(schedule.buffers, args, body, "    ", "x").holding(folded, at.linear(), "acc");
        List<String> values = new ArrayList<>();
        for (Running r : running) { // an online sum's own input reads its shift, which only the merge knows: it folds its max's
            values.add(r.online() ? null : w.value(r.reduction().input(0), at));
        }
        StringBuilder online = new StringBuilder();
        StringBuilder plain = new StringBuilder();
        for (Running r : running) {
            String s = "(*s" + r.value() + ")";
            if (r.online()) {
                String m = "(*s" + r.max() + ")";
                String x = values.get(r.max());
                online.append("    { const int keep = ").append(m).append(" >= ").append(x).append(" || isnan(").append(m).append(");\n")
                        .append("      const float e = exp(keep ? ").append(x).append(" - ").append(m).append(" : ").append(m).append(" - ")
                        .append(x).append(");\n")
                        .append("      ").append(s).append(" = keep ? (").append(x).append(" == -INFINITY ? ").append(s).append(" : ")
                        .append(s).append(" + e) : ").append(s).append(" * e + 1.0f; }\n");
            } else if (r.reduction().op() == Op.MAX) {
                plain.append("    ").append(s).append(" = ").append(maxOf(s, values.get(r.value()))).append(";\n");
            } else {
                plain.append("    ").append(s).append(" += ").append(values.get(r.value())).append(";\n");
            }
        }
        List<String> params = new ArrayList<>(List.of("const int row", "const int col", "const float acc"));
        for (Running r : running) {
            params.add("float* s" + r.value());
        }
        params.addAll(ExpressionWriter.parameters(args));
        return foldLocal("void " + name + "(" + String.join(", ", params) + ") {\n" + body + online + plain + "}\n")
                + combineFunction(running, name);
    }

    /**
     * {@code void <fold>_combine(float* s0, …, const float t0, …)}: another work-item's running values
     * t folded into s. An online sum rescales both sides to the larger max (a side of sum 0, none
     * or only −∞ seen, adds 0), before the max moves.
     */
    private static String combineFunction(List<Running> running, String fold) {
        StringBuilder online = new StringBuilder();
        StringBuilder plain = new StringBuilder();
        List<String> params = new ArrayList<>();
        for (Running r : running) {
            params.add("float* s" + r.value());
        }
        for (Running r : running) {
            params.add("const float t" + r.value());
        }
        for (Running r : running) {
            String s = "(*s" + r.value() + ")";
            String t = "t" + r.value();
            if (r.online()) {
                String m = "(*s" + r.max() + ")";
                String tm = "t" + r.max();
                online.append("    { const float m = ").append(maxOf(m, tm)).append(";\n")
                        .append("      ").append(s).append(" = (").append(s).append(" == 0.0f ? 0.0f : ").append(s).append(" * exp(").append(m)
                        .append(" - m)) + (").append(t).append(" == 0.0f ? 0.0f : ").append(t).append(" * exp(").append(tm).append(" - m)); }\n");
            } else if (r.reduction().op() == Op.MAX) {
                plain.append("    ").append(s).append(" = ").append(maxOf(s, t)).append(";\n");
            } else {
                plain.append("    ").append(s).append(" += ").append(t).append(";\n");
            }
        }
        return "void " + fold + "_combine(" + String.join(", ", params) + ") {\n" + online + plain + "}\n";
    }

    /**
     * The merge: for row gid, the members in launch order, each stored and held for the later
     * ones. Null where a value per row cannot be computed from what the kernel holds.
     */
    private static KernelSpec merge(Schedule schedule, List<Tensor> members, List<Running> running, Shape rows, int perRow,
                                    long partials, String name) {
        Map<Tensor, Running> byReduction = new LinkedHashMap<>();
        running.forEach(r -> byReduction.put(r.reduction(), r));
        Map<Tensor, String> args = ExpressionWriter.newArgs();
        StringBuilder code = new StringBuilder();
        Index row = Index.linear(rows, Ix.var("gid", rows.dim(0)));
        Set<Tensor> buffers = new HashSet<>(schedule.buffers);
        List<String> held = new ArrayList<>();
        int m = rows.dim(0);
        for (int i = 0; i < members.size(); i++) {
            Tensor t = members.get(i);
            Running r = byReduction.get(t);
            String local = "h" + i;
            ExpressionWriter w = new ExpressionWriter(buffers, args, code, "    ", "p" + i + "_");
            for (int k = 0; k < i; k++) {
                w.holding(members.get(k), row.linear(), held.get(k));
            }
            try {
                if (r == null) {
                    buffers.remove(t);
                    String value = w.compute(t, row);
                    buffers.add(t);
                    code.append("    const float ").append(local).append(" = ").append(value).append(";\n");
                } else {
                    // the maxima's max, the sums' compensated sum, an online sum's partials rescaled to its shift q
                    boolean sum = r.reduction().op() == Op.SUM;
                    String q = r.online() ? w.value(r.reduction().input(0).input(0).input(1), row) : null;
                    String term = r.online() ? "(v == 0.0f ? 0.0f : v * exp(" + partial(r.max(), perRow, m) + " - " + q + "))" : "v";
                    String prefix = "m" + i + "_";
                    code.append(accumulators(prefix, 1, sum, "float", "0.0f", "-INFINITY"))
                            .append("    for (int part = 0; part < ").append(perRow).append("; part++) {\n")
                            .append("        const float v = ").append(partial(r.value(), perRow, m)).append(";\n")
                            .append(accumulate(prefix, List.of(term), sum, "float"))
                            .append("    }\n")
                            .append("    const float ").append(local).append(" = ")
                            .append(r.online() ? "(" + q + " == -INFINITY || isnan(" + q + ")) ? NAN : " : "").append(prefix).append("acc0;\n");
                }
            } catch (VectorizeException e) {
                return null;
            }
            code.append("    out").append(i).append("[gid] = ").append(local).append(";\n");
            held.add(local);
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            params.add("__global float* restrict out" + i);
        }
        params.add("__global const float* restrict partials");
        params.addAll(ExpressionWriter.parameters(args));
        String src = "__kernel void " + name + "(" + String.join(", ", params) + ") {\n    const int gid = get_global_id(0);\n" + code + "}\n";
        List<KernelArg> kernelArgs = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            kernelArgs.add(new KernelArg.Output(i));
        }
        kernelArgs.add(new KernelArg.Scratch(partials, false));
        for (Tensor t : args.keySet()) {
            kernelArgs.add(new KernelArg.Read(t));
        }
        return new KernelSpec(name, "fold-merge", src, members, kernelArgs, new long[] {m}, null, false);
    }

    /** Partial s of running value v of row gid (the layout of {@link RowFold}). */
    private static String partial(int value, int perRow, int rows) {
        return "partials[((size_t)" + value + " * " + perRow + " + part) * " + rows + " + gid]";
    }
}
