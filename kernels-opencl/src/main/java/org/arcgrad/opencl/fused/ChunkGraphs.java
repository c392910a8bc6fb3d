package org.arcgrad.opencl.fused;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * One pass of a {@link ClassRegion} for one chunk of {@code width} columns, as a graph of its own
 * on a fresh tape. The same graph serves every chunk of that width: what changes from chunk to
 * chunk is only what is fed (the chunk's rows of W and of the other class-indexed values, and the
 * chunk's first column).
 *
 * <p>Rebuilt member by member with the same ops and attributes, except two: a product x·Wᵀ reads
 * the chunk's rows of W (or computes them from W's, for a per-class value such as Ŵ), and one-hot
 * labels become {@code (labels − c0) == arange(width)}, which is the chunk's columns of the
 * one-hot matrix (a label outside the chunk matches no column).
 *
 * @param graph       the chunk graph; its outputs are the partial results, one per consumer of the pass
 * @param width       columns in the chunk
 * @param whole       chunk input → the node of the original graph whose whole value it takes
 *                    (row values, scalars, the products' x, the A of memberᵀ·A)
 * @param sliced      chunk input → the class-indexed node whose chunk it takes: rows of a
 *                    [C, D] matrix, elements of a [C] or [1, C] column value
 * @param labels      chunk input ([N, 1], float) → the labels [N] whose values it takes (the same for every chunk)
 * @param firstColumn chunk input ([1], float) that takes the chunk's first column c0, or null when no one-hot reads it
 * @param runningTotals consumer whose chunks combine into one value (row sums and maxima, products
 *                    over the classes) → the chunk input that takes its value over the chunks before
 *                    (zeros, or −∞ for a maximum, before the first): its output in the chunk graph is
 *                    the running total including this chunk, so that whatever runs the chunks only
 *                    hands each output to the next chunk, on the host or on a device alike
 * @param partials    consumer → its output in the chunk graph: the running total, or the chunk's
 *                    own columns or rows of the consumer's value
 * @param kept        stash written by this pass → its product's chunk values, an output after the partials
 * @param taken       chunk input → the stash whose chunk values it takes, in place of computing the product again
 */
public record ChunkGraphs(Graph graph, int width, Map<Tensor, Tensor> whole, Map<Tensor, Tensor> sliced,
                          Map<Tensor, Tensor> labels, Tensor firstColumn, Map<ClassRegion.Consumer, Tensor> runningTotals,
                          Map<ClassRegion.Consumer, Tensor> partials, Map<Stash, Tensor> kept, Map<Tensor, Stash> taken) {

    /** Whether chunks of {@code kind} combine into one value (a running total) rather than each giving its own part. */
    public static boolean isRunningTotal(ClassRegion.Kind kind) {
        return kind == ClassRegion.Kind.ROW_SUM || kind == ClassRegion.Kind.ROW_SUM_EXP || kind == ClassRegion.Kind.ROW_MAX
                || kind == ClassRegion.Kind.TOTAL_SUM || kind == ClassRegion.Kind.CONTRACT_CLASSES;
    }

    /** The value of a running total before the first chunk: −∞ for a maximum, else 0. */
    public static double initialTotal(ClassRegion.Kind kind) {
        return kind == ClassRegion.Kind.ROW_MAX ? Double.NEGATIVE_INFINITY : 0;
    }

    /**
     * The chunk graph of {@code pass} (from 1) for chunks of {@code width} columns, with products
     * kept or taken as {@code stashes} say (none: it computes every product it reads).
     */
    static ChunkGraphs of(ClassRegion region, int pass, int width, List<Stash> stashes) {
        return new Builder(region, width, stashes).build(pass);
    }

    /** The members that {@code pass}'s consumers read, directly or through other members. */
    static Set<Tensor> membersNeeded(ClassRegion region, int pass) {
        return membersNeeded(region, pass, Set.of());
    }

    /** As {@link #membersNeeded(ClassRegion, int)}, not looking past the members in {@code taken}, whose values come in. */
    private static Set<Tensor> membersNeeded(ClassRegion region, int pass, Set<Tensor> taken) {
        Set<Tensor> needed = new HashSet<>();
        Deque<Tensor> todo = new ArrayDeque<>();
        for (ClassRegion.Consumer c : region.consumersOf(pass)) {
            todo.push(c.member());
        }
        while (!todo.isEmpty()) {
            Tensor m = todo.pop();
            if (needed.add(m) && !taken.contains(m)) {
                for (int k = 0; k < m.arity(); k++) {
                    if (region.contains(m.input(k))) {
                        todo.push(m.input(k));
                    }
                }
            }
        }
        return needed;
    }

    private static final class Builder {
        private final ClassRegion region;
        private final int width;
        private final Tape tape = new Tape();
        private final Map<Tensor, Tensor> copies = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> whole = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> sliced = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> labels = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> wholeOf = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> slicedOf = new LinkedHashMap<>();
        private final Map<Tensor, Tensor> labelsOf = new LinkedHashMap<>();
        private Tensor firstColumn;
        private final Map<ClassRegion.Consumer, Tensor> totals = new LinkedHashMap<>();
        private final Map<ClassRegion.Consumer, Tensor> partials = new LinkedHashMap<>();
        /** Per-class values and class rows computed in this chunk: node of the original graph → its chunk's rows. */
        private final Map<Tensor, Tensor> perClass = new LinkedHashMap<>();
        private final List<Stash> stashes;
        private final Map<Stash, Tensor> kept = new LinkedHashMap<>();
        private final Map<Tensor, Stash> taken = new LinkedHashMap<>();
        private int pass;

        Builder(ClassRegion region, int width, List<Stash> stashes) {
            if (width < 1 || width > region.classes()) {
                throw new IllegalArgumentException("a chunk has 1 to " + region.classes() + " columns, not " + width);
            }
            this.region = region;
            this.width = width;
            this.stashes = stashes;
        }

        ChunkGraphs build(int pass) {
            this.pass = pass;
            Set<Tensor> takenHere = new HashSet<>();
            for (Stash s : stashes) {
                if (s.read().contains(pass)) {
                    takenHere.add(s.product());
                }
            }
            Set<Tensor> needed = membersNeeded(region, pass, takenHere);
            for (Tensor m : region.members()) {
                if (needed.contains(m)) {
                    copies.put(m, copy(m));
                }
            }
            for (ClassRegion.Consumer c : region.consumersOf(pass)) {
                if (!region.chunkOnly().contains(c.node())) {
                    partials.put(c, partial(c));
                }
            }
            if (partials.isEmpty()) {
                throw new IllegalArgumentException("pass " + pass + " of " + region.passes() + " has no consumer");
            }
            for (Stash s : stashes) {
                if (s.written() == pass) {
                    kept.put(s, copies.get(s.product()));
                }
            }
            List<Tensor> outputs = new ArrayList<>(partials.values());
            outputs.addAll(kept.values());
            Graph graph = Graph.of(outputs.toArray(new Tensor[0]));
            return new ChunkGraphs(graph, width, whole, sliced, labels, firstColumn, totals, partials, kept, taken);
        }

        private Tensor copy(Tensor m) {
            for (Stash s : stashes) {
                if (s.product() == m && s.read().contains(pass)) {
                    Tensor in = tape.input("kept %" + m.id() + " of the chunk", region.axis().chunkOfMember(m.shape(), width).dims());
                    taken.put(in, s);
                    return in;
                }
            }
            if (m.op() == Op.MATMUL) {
                return wholeInput(m.input(0)).matmul(slicedInput(m.input(1).input(0)).transpose());
            }
            if (m.op() == Op.ONE_HOT) {
                if (firstColumn == null) {
                    firstColumn = tape.input("first column c0", 1);
                }
                return labelsInput(m.input(0)).sub(firstColumn).eq(tape.arange(width));
            }
            if (m.op() == Op.EXPAND) {
                return operand(m.input(0)).expand(region.axis().chunkOfMember(m.shape(), width));
            }
            if (m.op() == Op.RESHAPE) { // between [N, C·K] and [N, C, K]: the chunk's classes are the same run of a row
                return operand(m.input(0)).reshape(region.axis().chunkOfMember(m.shape(), width));
            }
            Tensor[] in = new Tensor[m.arity()];
            for (int k = 0; k < in.length; k++) {
                in[k] = operand(m.input(k));
            }
            return tape.record(m.op(), m.attrs(), in);
        }

        /** What a member reads: another member's copy, or an input for a value from outside. */
        private Tensor operand(Tensor t) {
            if (region.contains(t)) {
                return copies.get(t);
            }
            if (t.op() == Op.CONST) {
                return tape.full(t.shape(), t.attrs().scalar(0));
            }
            Tensor scalar = ClassRegion.broadcastScalarOf(t);
            if (scalar != null && scalar != t && region.axis().isMemberShape(t.shape())) {
                int[] ones = new int[t.shape().rank()];
                java.util.Arrays.fill(ones, 1);
                return operand(scalar).reshape(ones).expand(region.axis().chunkOfMember(t.shape(), width));
            }
            return region.axis().isColumnValue(t) ? slicedInput(t) : wholeInput(t);
        }

        private Tensor partial(ClassRegion.Consumer c) {
            Tensor m = copies.get(c.member());
            if (c.kind() == ClassRegion.Kind.ROW_SUM_EXP) {
                return onlineSum(c, m);
            }
            Tensor part = switch (c.kind()) {
                case ROW_SUM, ROW_MAX, COLUMN_SUM, COLUMN_MAX -> tape.record(c.node().op(), c.node().attrs(), m);
                case TOTAL_SUM -> tape.record(c.node().op(), c.node().attrs(), m.reshape((int) m.shape().numel()));
                case CONTRACT_CLASSES -> m.matmul(slicedInput(c.node().input(1)));
                case CLASS_ROWS, PER_CLASS -> perClassRows(c.node());
                case ROW_SUM_EXP -> throw new IllegalStateException("handled above");
            };
            if (!isRunningTotal(c.kind())) {
                return part;
            }
            Tensor before = tape.input("total of %" + c.node().id() + " before the chunk", part.shape().dims());
            totals.put(c, before);
            return c.kind() == ClassRegion.Kind.ROW_MAX ? before.maximum(part) : before.add(part);
        }

        private Tensor wholeInput(Tensor t) {
            return wholeOf.computeIfAbsent(t, x -> {
                Tensor in = tape.input("whole %" + x.id(), x.shape().dims());
                whole.put(in, x);
                return in;
            });
        }

        /**
         * The online log-sum-exp step for sum(exp(z − max z)): with M the row max before this chunk
         * and M' after it (the max consumer's own running total, built first: consumers come in
         * graph order), S' = S · exp(M − M') + Σ exp(z − M'). Before the first chunk S = 0 and
         * M = −∞, so the first term is 0 · 0; where M' is still −∞ or +∞ the result is NaN, as the
         * whole graph's exp(z − max z) is.
         */
        private Tensor onlineSum(ClassRegion.Consumer c, Tensor z) {
            ClassRegion.Consumer max = region.consumersOf(pass).stream()
                    .filter(x -> x.node() == ClassRegion.onlineMaxOf(c.node())).findFirst().orElseThrow();
            Tensor maxBefore = totals.get(max);
            Tensor maxAfter = partials.get(max);
            Tensor before = tape.input("total of %" + c.node().id() + " before the chunk", c.node().shape().dims());
            totals.put(c, before);
            Tensor rescaled = before.mul(maxBefore.sub(maxAfter).exp());
            return rescaled.add(z.sub(maxAfter).exp().sum(1, true));
        }

        /**
         * The chunk's rows of a class-indexed value: computed here when the region says chunks
         * compute it class by class from the sources, else an input that takes a slice.
         */
        private Tensor slicedInput(Tensor t) {
            return region.recomputed().contains(t) && t.op() != Op.INPUT && t.op() != Op.PARAM ? perClassRows(t) : slice(t);
        }

        /**
         * The chunk's rows of a class-row consumer of this pass, of a per-class value, or of a
         * scalar that per-class values read: rebuilt from the chunk's rows of what it reads.
         */
        private Tensor perClassRows(Tensor t) {
            Tensor done = perClass.get(t);
            if (done != null) {
                return done;
            }
            Tensor rows;
            ClassRegion.Consumer classRows = region.consumersOf(pass).stream()
                    .filter(c -> c.node() == t && c.kind() == ClassRegion.Kind.CLASS_ROWS).findFirst().orElse(null);
            if (PerClassValues.isConstantScalar(t)) {
                rows = t.op() == Op.CONST ? tape.full(t.shape(), t.attrs().scalar(0)) : wholeInput(t);
            } else if (t.op() == Op.CONST) {
                rows = tape.full(region.axis().chunkOfClassIndexed(t.shape(), width), t.attrs().scalar(0));
            } else if (classRows != null) {
                rows = copies.get(classRows.member()).transpose().matmul(wholeInput(t.input(1)));
            } else if (t.op() == Op.INPUT || t.op() == Op.PARAM || !region.isPerClass(t)) {
                rows = slice(t); // a source, or class rows an earlier pass put together whole
            } else if (t.op() == Op.EXPAND) {
                rows = perClassRows(t.input(0)).expand(region.axis().chunkOfClassIndexed(t.shape(), width));
            } else {
                Tensor[] in = new Tensor[t.arity()];
                for (int k = 0; k < in.length; k++) {
                    in[k] = perClassRows(t.input(k));
                }
                rows = tape.record(t.op(), t.attrs(), in);
            }
            perClass.put(t, rows);
            return rows;
        }


        /**
         * An input that takes the chunk of a class-indexed value: [C, D] → [width, D], [C] → [width],
         * [1, C] → [1, width] ([C·K, D] → [width·K, D] with K centres per class).
         */
        private Tensor slice(Tensor t) {
            return slicedOf.computeIfAbsent(t, x -> {
                Tensor in = tape.input("chunk of %" + x.id(), region.axis().chunkOfClassIndexed(x.shape(), width).dims());
                sliced.put(in, x);
                return in;
            });
        }

        private Tensor labelsInput(Tensor t) {
            return labelsOf.computeIfAbsent(t, x -> {
                Tensor in = tape.input("labels %" + x.id(), region.rows(), 1);
                labels.put(in, x);
                return in;
            });
        }
    }
}
