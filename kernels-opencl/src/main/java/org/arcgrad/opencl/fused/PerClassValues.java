package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * The values outside a class region's N×C part that the chunks can compute class by class, so that
 * no stage holds them whole: a margin head's W-sized values (the normalised weights before the
 * product, and backward's way from grad Ŵ back to grad W) would otherwise be held whole on the
 * device beside W and grad W, twice what the issue allows.
 *
 * <p>A value is per-class when it has shape [C, k] (or [C·K, k], one row per centre) and its row c depends only on row c of what it
 * reads: an elementwise op, a broadcast of [C, 1] to [C, k], or a sum or maximum along axis 1, over
 * per-class values, constants and scalar sources. Two kinds:
 * <ul>
 *   <li><b>recomputed</b>: per-class values computed from the graph's sources alone (Ŵ = W / ‖W‖):
 *   a chunk that reads one computes its rows from the chunk's rows of the sources;</li>
 *   <li><b>after the rows</b>: per-class values that read the class rows of the region (memberᵀ·A:
 *   grad Ŵ) and recomputed values (grad W through the normalisation): each chunk computes its rows
 *   right after its class rows; those read outside become consumers of kind
 *   {@link ClassRegion.Kind#PER_CLASS}, and class rows read by nothing else are not put together
 *   whole at all ({@link #chunkOnly}).</li>
 * </ul>
 * Values after the rows are taken only when nothing the region needs depends on them (a graph
 * that feeds grad W back into its logits keeps them outside).
 */
final class PerClassValues {
    final Set<Tensor> recomputed = new HashSet<>();
    /** Per-class values after the class rows, in graph order. */
    final List<Tensor> afterRows = new ArrayList<>();
    /** For each value after the rows, the class-row consumer it reads that comes in the latest pass. */
    final Map<Tensor, ClassRegion.Consumer> rowsOf = new HashMap<>();
    /** Class-row consumers every reader of which is after the rows, and which are no outputs. */
    final Set<Tensor> chunkOnly = new HashSet<>();

    private PerClassValues() {
    }

    static PerClassValues of(Graph graph, Map<Tensor, List<Tensor>> users, Set<Tensor> members, List<ClassRegion.Consumer> consumers,
                             ClassAxis axis) {
        PerClassValues v = new PerClassValues();
        Map<Tensor, ClassRegion.Consumer> classRows = new HashMap<>();
        for (ClassRegion.Consumer c : consumers) {
            if (c.kind() == ClassRegion.Kind.CLASS_ROWS) {
                classRows.put(c.node(), c);
            }
        }
        for (Tensor t : graph.nodes()) {
            if (!axis.isPerClassShape(t.shape()) || members.contains(t) || classRows.containsKey(t) || !perClassOp(t)) {
                continue;
            }
            if (t.op().kind() == Op.Kind.SOURCE) {
                v.recomputed.add(t);
                continue;
            }
            boolean fromSources = true;
            boolean fromRows = true;
            ClassRegion.Consumer latest = null;
            for (int k = 0; k < t.arity(); k++) {
                Tensor in = t.input(k);
                if (isConstantScalar(in)) {
                    continue;
                }
                fromSources &= v.recomputed.contains(in);
                ClassRegion.Consumer rows = classRows.containsKey(in) ? classRows.get(in) : v.rowsOf.get(in);
                fromRows &= rows != null || v.recomputed.contains(in);
                if (rows != null && (latest == null || rows.pass() > latest.pass())) {
                    latest = rows;
                }
            }
            if (fromSources) {
                v.recomputed.add(t);
            } else if (fromRows && latest != null) {
                v.afterRows.add(t);
                v.rowsOf.put(t, latest);
            }
        }
        if (!v.afterRows.isEmpty() && regionReads(graph, members, consumers, new HashSet<>(v.afterRows))) {
            v.afterRows.clear();
            v.rowsOf.clear();
        }
        Set<Tensor> after = new HashSet<>(v.afterRows);
        Set<Tensor> outputs = new HashSet<>(graph.outputs());
        // with class rows in more than one pass, a later pass may recompute values of an earlier one
        // from its class rows, which must then exist whole: keep every class-row value in that case
        boolean onePass = v.rowsOf.values().stream().mapToInt(ClassRegion.Consumer::pass).distinct().count() <= 1;
        for (Tensor rows : classRows.keySet()) {
            List<Tensor> readers = users.getOrDefault(rows, List.of());
            if (onePass && !outputs.contains(rows) && !readers.isEmpty() && after.containsAll(readers)) {
                v.chunkOnly.add(rows);
            }
        }
        return v;
    }

    /** Values after the rows that something outside them reads, or that are outputs: each chunk gives its rows of them. */
    List<Tensor> readOutside(Graph graph, Map<Tensor, List<Tensor>> users) {
        Set<Tensor> after = new HashSet<>(afterRows);
        Set<Tensor> outputs = new HashSet<>(graph.outputs());
        List<Tensor> read = new ArrayList<>();
        for (Tensor t : afterRows) {
            if (outputs.contains(t) || !after.containsAll(users.getOrDefault(t, List.of()))) {
                read.add(t);
            }
        }
        return read;
    }

    private static boolean perClassOp(Tensor t) {
        return switch (t.op().kind()) {
            case SOURCE, ELEMENTWISE -> true;
            case VIEW -> t.op() == Op.EXPAND && t.input(0).shape().rank() == 2 && t.input(0).shape().dim(1) == 1;
            case REDUCE -> t.input(0).shape().rank() == 2 && t.input(0).shape().axis(t.attrs().integer(0)) == 1;
            default -> false;
        };
    }

    /** A one-element constant or source: the same for every class, known before any pass. */
    static boolean isConstantScalar(Tensor t) {
        return t.shape().numel() == 1 && t.op().kind() == Op.Kind.SOURCE;
    }

    /** Whether a member or a consumer of the region depends on one of {@code after}. */
    private static boolean regionReads(Graph graph, Set<Tensor> members, List<ClassRegion.Consumer> consumers, Set<Tensor> after) {
        Set<Tensor> dependent = new HashSet<>(after);
        for (Tensor t : graph.nodes()) {
            for (int k = 0; k < t.arity() && !dependent.contains(t); k++) {
                if (dependent.contains(t.input(k))) {
                    dependent.add(t);
                }
            }
        }
        for (ClassRegion.Consumer c : consumers) {
            if (dependent.contains(c.node())) {
                return true;
            }
        }
        for (Tensor m : members) {
            if (dependent.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
