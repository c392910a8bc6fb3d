package org.arcgrad.opencl.compile;

import java.util.ArrayList;
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
 * shape) with the reductions over the last axis of that shape that it reads, directly or through
 * each other, into one row launch [reductions in order…, elementwise nodes…], rendered by {@link
 * RowKernels#row}: each row is reduced, then the elementwise nodes are computed over it while it
 * is in the core's cache. A reduction joins only when it launches alone (not in a group of
 * sibling reductions), is no gather, and no launch between it and the elementwise launch reads it
 * except reductions that join too: the row launch stands where the elementwise launch stood, so
 * the reductions, moved there, are still ready for every launch that reads them.
 */
final class RowLaunches {
    private RowLaunches() {
    }

    /** The launches with such row launches formed. */
    static List<List<Tensor>> of(Schedule schedule, List<List<Tensor>> launches) {
        List<List<Tensor>> out = new ArrayList<>(launches);
        Map<Tensor, Set<Tensor>> reads = new HashMap<>();
        for (int j = 0; j < out.size(); j++) {
            List<Tensor> elementwise = out.get(j);
            Shape shape = elementwise.get(0).shape();
            if (!elementwise.stream().allMatch(n -> n.op().kind() == Op.Kind.ELEMENTWISE && n.shape().equals(shape))) {
                continue;
            }
            List<Integer> joining = new ArrayList<>(); // positions, latest first
            Set<Tensor> readers = new HashSet<>(elementwise);
            for (int i = j - 1; i >= 0; i--) {
                List<Tensor> launch = out.get(i);
                Tensor r = launch.get(0);
                if (!isRowReduction(launch, shape) || !readsAny(schedule, reads, readers, r)) {
                    continue;
                }
                boolean readBetween = false;
                for (int k = i + 1; k < j && !readBetween; k++) {
                    readBetween = !joining.contains(k) && readsAny(schedule, reads, out.get(k), r);
                }
                if (!readBetween) {
                    joining.add(i);
                    readers.add(r);
                }
            }
            if (joining.isEmpty()) {
                continue;
            }
            List<Tensor> row = new ArrayList<>();
            for (int k = joining.size() - 1; k >= 0; k--) {
                row.add(out.get(joining.get(k)).get(0));
            }
            row.addAll(elementwise);
            out.set(j, List.copyOf(row));
            for (int i : joining) { // latest first: earlier positions stay valid
                out.remove(i);
            }
            j -= joining.size();
        }
        return out;
    }

    /** Whether some node of {@code launch} reads {@code node}'s buffer. */
    private static boolean readsAny(Schedule schedule, Map<Tensor, Set<Tensor>> reads, java.util.Collection<Tensor> launch, Tensor node) {
        for (Tensor n : launch) {
            if (reads.computeIfAbsent(n, schedule::bufferReads).contains(node)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this launch is a lone reduction over the last axis of {@code shape} that is no gather of a one-hot mask. */
    private static boolean isRowReduction(List<Tensor> launch, Shape shape) {
        Tensor r = launch.get(0);
        if (launch.size() != 1 || r.op().kind() != Op.Kind.REDUCE || !r.input(0).shape().equals(shape)) {
            return false;
        }
        int axis = r.attrs().integer(0);
        return shape.axis(axis) == shape.rank() - 1 && !(r.op() == Op.SUM && Gather.match(r.input(0), axis) != null);
    }

    /** Whether this launch is a row launch: reductions first, elementwise nodes last. */
    static boolean isRow(List<Tensor> launch) {
        return launch.size() >= 2 && launch.get(0).op().kind() == Op.Kind.REDUCE
                && launch.get(launch.size() - 1).op().kind() == Op.Kind.ELEMENTWISE;
    }
}
