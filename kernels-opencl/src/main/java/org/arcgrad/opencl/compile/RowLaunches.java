package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * Joins, in a CPU plan's launches, an elementwise launch (one node, or a group of outputs of one
 * shape) with the reductions over the last axis that it reads, directly or through each other, and
 * with the per-row elementwise launches between them (one value a row, as a running maximum), into
 * one row launch rendered by {@link RowKernels#row}: for each row, the reductions and per-row values
 * in order, then the elementwise nodes over the row while it is in the core's cache. The anchor is
 * either over the rows (Ŵ = W / ‖W‖ after W's norms) or per row (a chunk's log-sum-exp: its row
 * maximum, the running maximum, the sum of exp and the label's logit, then the running totals).
 * A launch joins (alone, or as a group of sibling reductions or of per-row outputs) when it is no
 * gather, and no launch between it and the anchor reads it except
 * launches that join too: the row launch stands where the anchor stood, so what joined, moved
 * there, is still ready for every launch that reads it. Few long rows keep their kernels
 * ({@link #MIN_ROWS}).
 */
final class RowLaunches {
    /**
     * A row kernel runs one work-item a row, the elementwise pass included, which the elementwise
     * kernel alone spreads over every element: fewer rows than this, each longer than {@link
     * #LONG_ROW}, keep the two kernels ([2, 100 000] would leave all but two work-items idle).
     */
    static final long MIN_ROWS = 64;
    static final long LONG_ROW = 4096;

    private RowLaunches() {
    }

    /**
     * The launches, each as a list of the launches it is made of: one for a launch as it was, two or
     * more (in order) for a row launch, which {@link RowKernels#row} renders as one kernel or,
     * where that does not apply, each part as it would have been.
     */
    static List<List<List<Tensor>>> of(Schedule schedule, List<List<Tensor>> launches) {
        List<List<List<Tensor>>> out = new ArrayList<>();
        for (List<Tensor> launch : launches) {
            out.add(List.of(launch));
        }
        Map<Tensor, Set<Tensor>> reads = new HashMap<>();
        // the last anchors first: a per-row launch that could anchor row launches of its own joins a later one's instead
        for (int j = out.size() - 1; j >= 0; j--) {
            List<List<Tensor>> anchor = out.get(j);
            if (anchor.size() != 1 || !isElementwise(anchor.get(0))) {
                continue;
            }
            Shape shape = anchor.get(0).get(0).shape();
            if (shape.rank() == 0) {
                continue;
            }
            boolean perRow = shape.dim(shape.rank() - 1) == 1;
            Shape rows = perRow ? shape : shape.with(shape.rank() - 1, 1); // a reduction's result: one value a row
            Shape input = perRow ? null : shape; // the reductions' input shape, once known
            List<Integer> joining = new ArrayList<>(); // positions, latest first
            Set<Tensor> readers = new HashSet<>(anchor.get(0));
            boolean reduction = false;
            for (int i = j - 1; i >= 0; i--) {
                if (out.get(i).size() != 1) {
                    continue;
                }
                List<Tensor> launch = out.get(i).get(0);
                boolean joins = isRowReduction(launch, rows, input) || (isElementwise(launch) && launch.get(0).shape().equals(rows));
                if (!joins || !readsAny(schedule, reads, readers, launch)) {
                    continue;
                }
                boolean readBetween = false;
                for (int k = i + 1; k < j && !readBetween; k++) {
                    for (List<Tensor> part : joining.contains(k) ? List.<List<Tensor>>of() : out.get(k)) {
                        readBetween |= readsAny(schedule, reads, part, launch);
                    }
                }
                if (!readBetween) {
                    joining.add(i);
                    readers.addAll(launch);
                    if (launch.get(0).op().kind() == Op.Kind.REDUCE) {
                        reduction = true;
                        input = launch.get(0).input(0).shape();
                    }
                }
            }
            if (!reduction || !enoughRows(input)) {
                continue;
            }
            List<List<Tensor>> parts = new ArrayList<>();
            for (int k = joining.size() - 1; k >= 0; k--) {
                parts.add(out.get(joining.get(k)).get(0));
            }
            parts.add(anchor.get(0));
            out.set(j, List.copyOf(parts));
            for (int i : joining) { // latest first: earlier positions stay valid
                out.remove(i);
            }
            j -= joining.size(); // the anchor's place now
        }
        return out;
    }

    /** Whether every node of this launch is elementwise (one node, or a group of outputs of one shape). */
    private static boolean isElementwise(List<Tensor> launch) {
        return launch.stream().allMatch(n -> n.op().kind() == Op.Kind.ELEMENTWISE);
    }

    /** Whether a row kernel over {@code shape}'s rows (its last axis) keeps the device busy: {@link #MIN_ROWS}. */
    private static boolean enoughRows(Shape shape) {
        long length = shape.dim(shape.rank() - 1);
        return shape.numel() / Math.max(length, 1) >= MIN_ROWS || length <= LONG_ROW;
    }

    /** Whether some node of {@code readers} reads the buffer of some node of {@code written}. */
    private static boolean readsAny(Schedule schedule, Map<Tensor, Set<Tensor>> reads, Collection<Tensor> readers,
                                    Collection<Tensor> written) {
        for (Tensor n : readers) {
            Set<Tensor> read = reads.computeIfAbsent(n, schedule::bufferReads);
            for (Tensor w : written) {
                if (read.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether this launch is a reduction over the last axis (or a group of them), each with one value
     * a row of {@code rows}, of {@code input} (any input where null, but one for the group), and no
     * gather of a one-hot mask.
     */
    private static boolean isRowReduction(List<Tensor> launch, Shape rows, Shape input) {
        if (launch.get(0).op().kind() != Op.Kind.REDUCE) {
            return false;
        }
        Shape in = input != null ? input : launch.get(0).input(0).shape();
        for (Tensor r : launch) {
            if (r.op().kind() != Op.Kind.REDUCE || !r.shape().equals(rows) || !r.input(0).shape().equals(in)) {
                return false;
            }
            int axis = r.attrs().integer(0);
            if (in.axis(axis) != in.rank() - 1 || (r.op() == Op.SUM && Gather.match(r.input(0), axis) != null)) {
                return false;
            }
        }
        return true;
    }
}
