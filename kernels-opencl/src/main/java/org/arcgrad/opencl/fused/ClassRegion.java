package org.arcgrad.opencl.fused;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * The N×C part of a graph that can be computed a chunk of classes at a time: every node of shape
 * [rows, classes] that is a product x·Wᵀ or is computed elementwise from such nodes, from row
 * values ([rows, 1]), column values ([classes] or [1, classes]), scalars and one-hot labels, and
 * whose every use outside the part is a reduction or a product that combines across chunks. With
 * K centres per class (sub-center heads) the part also holds the [N, C·K] product, its view as
 * [N, C, K] and the reductions over the centres that lead back to [N, C] ({@link ClassAxis}).
 *
 * @param axis      N, C and K: the shapes the part's values take
 * @param products  the [N, C] or [N, C·K] matrix products x·Wᵀ (input 1 the transpose of a [C, D] or [C·K, D] value)
 * @param members   every node of the part, products included, in graph order
 * @param consumers the uses outside the part, each with the pass that computes it
 * @param passes    how many passes over the columns the consumers need (1 + the longest chain of
 *                  consumers whose results feed, through the rest of the graph, values the part reads)
 * @param recomputed per-class values ([C, k], row c from row c of the sources: Ŵ = W / ‖W‖) that a
 *                  chunk computes from its rows of the sources instead of reading them whole
 * @param afterRows per-class values that read class rows (grad Ŵ → grad W): each chunk computes its
 *                  rows of them after its class rows; those read outside are PER_CLASS consumers
 * @param chunkOnly class-row consumers read only by values after the rows: computed in the chunks,
 *                  never put together whole
 * @see PerClassValues
 */
public record ClassRegion(ClassAxis axis, List<Tensor> products, List<Tensor> members, List<Consumer> consumers,
                          int passes, Set<Tensor> recomputed, List<Tensor> afterRows, Set<Tensor> chunkOnly) {

    /** How a consumer's per-chunk results make the whole. */
    public enum Kind {
        /** SUM along axis 1 → [N, 1]: partial sums add. */
        ROW_SUM,
        /**
         * sum(exp(z − max z)) along axis 1 → [N, 1], where max z is a ROW_MAX consumer (or its
         * detached value) of the same member z: computed in the max's pass with the online
         * log-sum-exp rule (the sum so far rescaled by exp(old max − new max) at each chunk), so that
         * the sum needs no pass of its own. Its member is z.
         */
        ROW_SUM_EXP,
        /** MAX along axis 1 → [N, 1]: partial maxima combine by max. */
        ROW_MAX,
        /**
         * SUM of the member flattened to [N·C] (its node the sum, whose input is the flattening
         * reshape) → [1]: every element's sum, as autodiff writes the gradient of a scalar that the
         * member broadcasts (a learned scale or margin); partial sums add.
         */
        TOTAL_SUM,
        /** SUM along axis 0 → [1, C]: each chunk gives its own columns. */
        COLUMN_SUM,
        /** MAX along axis 0 → [1, C]: each chunk gives its own columns. */
        COLUMN_MAX,
        /** member · B, B [C, D] → [N, D]: the sum over classes; partial products add. */
        CONTRACT_CLASSES,
        /** memberᵀ · A, A [N, D] → [C, D]: each chunk gives its own rows. */
        CLASS_ROWS,
        /** A value after the class rows ({@link ClassRegion#afterRows}), [C, k]: each chunk gives its own rows. */
        PER_CLASS
    }

    /**
     * One use of the part by the rest of the graph.
     *
     * @param node   the node outside the part that it computes (for CLASS_ROWS the product, whose input 0 is a transpose;
     *               for TOTAL_SUM the sum, whose input is the flattening reshape)
     * @param member the member it reads (for PER_CLASS, the member its class rows read)
     * @param kind   how chunks combine
     * @param pass   the pass (from 1) that computes it
     */
    public record Consumer(Tensor node, Tensor member, Kind kind, int pass) {
    }

    public ClassRegion {
        products = List.copyOf(products);
        members = List.copyOf(members);
        consumers = List.copyOf(consumers);
        recomputed = Set.copyOf(recomputed);
        afterRows = List.copyOf(afterRows);
        chunkOnly = Set.copyOf(chunkOnly);
    }

    /** N. */
    public int rows() {
        return axis.rows();
    }

    /** C, the axis that is chunked. */
    public int classes() {
        return axis.classes();
    }

    /** Whether chunks compute {@code t}'s rows themselves, class by class (a recomputed value or one after the rows). */
    public boolean isPerClass(Tensor t) {
        return recomputed.contains(t) || afterRows.contains(t);
    }

    /** Whether {@code t} is a node of the part. */
    public boolean contains(Tensor t) {
        return members.contains(t);
    }

    /** The consumers of one pass, in graph order. */
    public List<Consumer> consumersOf(int pass) {
        return consumers.stream().filter(c -> c.pass() == pass).toList();
    }

    /**
     * The one-element value that {@code t} only broadcasts through views (reshapes and expands),
     * or null: autodiff writes the gradient of a sum of every element (a mean over all of an N×C
     * value) as its one-element upstream gradient expanded to [N·C] and reshaped to [N, C]. A chunk
     * expands the value to its own shape instead of reading N×C elements.
     */
    public static Tensor broadcastScalarOf(Tensor t) {
        Tensor v = t;
        while (v.shape().numel() > 1 && (v.op() == Op.RESHAPE || v.op() == Op.EXPAND)) {
            v = v.input(0);
        }
        return v.shape().numel() == 1 ? v : null;
    }

    /**
     * For a node sum(exp(z − r)) along axis 1 with r = m or detach(m), m = max(z) along axis 1: m;
     * else null. The pattern {@link Kind#ROW_SUM_EXP} folds into m's pass.
     */
    public static Tensor onlineMaxOf(Tensor sum) {
        if (sum.op() != Op.SUM || sum.input(0).op() != Op.EXP) {
            return null;
        }
        Tensor diff = sum.input(0).input(0);
        if (diff.op() != Op.SUB) {
            return null;
        }
        Tensor z = diff.input(0);
        Tensor r = diff.input(1);
        Tensor m = r.op() == Op.DETACH ? r.input(0) : r;
        boolean rowMax = m.op() == Op.MAX && m.input(0) == z && m.shape().rank() == 2
                && m.shape().dim(1) == 1 && z.shape().rank() == 2 && z.shape().dim(1) != 1
                && sum.shape().equals(m.shape()) && m.input(0).shape().axis(m.attrs().integer(0)) == 1
                && sum.input(0).shape().axis(sum.attrs().integer(0)) == 1;
        return rowMax ? m : null;
    }

    /** Counts of the consumers by kind, for summaries and tests. */
    public Map<Kind, Long> consumerKinds() {
        return consumers.stream().collect(java.util.stream.Collectors.groupingBy(Consumer::kind, java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    /** The consumer nodes' set. */
    public Set<Tensor> consumerNodes() {
        return consumers.stream().map(Consumer::node).collect(java.util.stream.Collectors.toSet());
    }
}
