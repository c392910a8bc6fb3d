package org.arcgrad.opencl.fused;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * Finds the {@link ClassRegion} of a graph: starting from each matrix product x·Wᵀ of shape
 * [N, C], it takes in every [N, C] node connected to it through elementwise ops, one-hot labels
 * and broadcasts, then checks what the part reads (row values, column values, scalars, labels,
 * the products' operands) and how the rest of the graph uses it (reductions along a row or a
 * column, products that sum over the classes or give one row per class). Anything else, an N×C
 * value that is an output of the graph included, means no region, and the graph compiles as
 * before; {@link Finding#refusal()} says why.
 *
 * <p>A product [N, P] that the graph views as [N, P / K, K] (a sub-center head's K centres per
 * class) gives a region of C = P / K classes with K centres each: the view, the reductions over
 * the centres and what leads back from them (the backward's broadcast and view to [N, P]) are
 * members too, and every value keeps its classes in contiguous runs ({@link ClassAxis}).
 */
public final class ClassRegionFinder {
    /** A region, or why the graph has none. */
    public record Finding(Optional<ClassRegion> region, String refusal) {
        static Finding of(ClassRegion r) {
            return new Finding(Optional.of(r), null);
        }

        static Finding none(String why) {
            return new Finding(Optional.empty(), why);
        }
    }

    private final Graph graph;
    private final Map<Tensor, List<Tensor>> users = new HashMap<>();
    private final Set<Tensor> outputs;

    private ClassRegionFinder(Graph graph) {
        this.graph = graph;
        for (Tensor n : graph.nodes()) {
            for (int k = 0; k < n.arity(); k++) {
                users.computeIfAbsent(n.input(k), x -> new ArrayList<>()).add(n);
            }
        }
        this.outputs = new HashSet<>(graph.outputs());
    }

    /** The region of the first [N, C] product that has one; else the reason the last candidate failed. */
    public static Finding find(Graph graph) {
        ClassRegionFinder f = new ClassRegionFinder(graph);
        String why = "no matrix product of the form x·Wᵀ";
        for (Tensor n : graph.nodes()) {
            if (n.op() == Op.MATMUL && n.input(1).op() == Op.TRANSPOSE) {
                String first = null;
                for (ClassAxis axis : f.axesOf(n)) {
                    Finding r = f.grow(n, axis);
                    if (r.region().isPresent()) {
                        return r;
                    }
                    first = first == null ? r.refusal() : first;
                }
                why = first;
            }
        }
        return Finding.none(why);
    }

    /**
     * The class axes a product [N, P] may have, to be tried in order: C = P / K classes of K
     * centres for each K &gt; 1 by which the graph views some [N, P] value as [N, P / K, K] (the
     * product itself, or a value computed from it elementwise), then P classes of one column. A
     * view of another value of that shape only costs a try that fails.
     */
    private List<ClassAxis> axesOf(Tensor product) {
        int n = product.shape().dim(0);
        int p = product.shape().dim(1);
        Set<ClassAxis> axes = new java.util.LinkedHashSet<>();
        for (Tensor t : graph.nodes()) {
            Shape s = t.shape();
            if (t.op() == Op.RESHAPE && t.input(0).shape().equals(product.shape()) && s.rank() == 3 && s.dim(0) == n
                    && s.dim(2) > 1 && s.dim(1) * s.dim(2) == p) {
                axes.add(new ClassAxis(n, s.dim(1), s.dim(2)));
            }
        }
        axes.add(new ClassAxis(n, p, 1));
        return List.copyOf(axes);
    }

    /** x [N, D] · transpose(W [C, D]) → [N, C], or [N, C·K] from W [C·K, D] (the product's shape rule makes W so). */
    private static boolean isProduct(Tensor t, ClassAxis axis) {
        return t.op() == Op.MATMUL && axis.isMatrixMemberShape(t.shape()) && t.input(1).op() == Op.TRANSPOSE;
    }

    /**
     * Whether {@code t} belongs to the part, by its shape and op: elementwise ops, broadcasts and
     * products of member shapes; one-hot labels of C classes; views between [N, C·K] and
     * [N, C, K] (or [N, C] and [N, C, 1]); reductions over the centres ([N, C, K] → [N, C, 1]).
     */
    private static boolean memberKind(Tensor t, ClassAxis axis) {
        Shape s = t.shape();
        if (!axis.isMemberShape(s)) {
            return false;
        }
        return switch (t.op().kind()) {
            case ELEMENTWISE -> true;
            case VIEW -> t.op() == Op.EXPAND || (t.op() == Op.RESHAPE && axis.isMemberShape(t.input(0).shape()));
            case REDUCE -> s.rank() == 3 && t.attrs().integer(0) == 2 && t.input(0).shape().rank() == 3;
            case INDEX -> t.op() == Op.ONE_HOT && s.equals(Shape.of(axis.rows(), axis.classes()));
            case MATMUL -> isProduct(t, axis);
            default -> false;
        };
    }

    private Finding grow(Tensor seed, ClassAxis axis) {
        int n = axis.rows();
        int c = axis.classes();
        if (n < 2 || c < 2) {
            // one row: a row value [1, 1] and a column value [1, C] look like members; nothing to split anyway
            return Finding.none(seed.describe() + " has a single row or column; nothing to split");
        }
        Set<Tensor> members = new HashSet<>();
        Deque<Tensor> todo = new ArrayDeque<>(List.of(seed));
        members.add(seed);
        while (!todo.isEmpty()) {
            Tensor m = todo.pop();
            List<Tensor> next = new ArrayList<>(users.getOrDefault(m, List.of()));
            for (int k = 0; k < m.arity() && m.op() != Op.MATMUL; k++) {
                next.add(m.input(k)); // a product's operands stay outside, even when D = C makes x look [N, C]
            }
            for (Tensor t : next) {
                if (!members.contains(t) && memberKind(t, axis)) {
                    members.add(t);
                    todo.push(t);
                }
            }
        }
        List<Tensor> ordered = graph.nodes().stream().filter(members::contains).toList();
        for (Tensor m : ordered) {
            if (outputs.contains(m)) {
                return Finding.none(m.describe() + " is an N×C output of the graph; it must be written whole");
            }
            String bad = badInput(m, members, axis);
            if (bad != null) {
                return Finding.none(bad);
            }
        }
        List<Use> uses = new ArrayList<>();
        for (Tensor m : ordered) {
            for (Tensor u : users.getOrDefault(m, List.of())) {
                if (members.contains(u)) {
                    continue;
                }
                ClassRegion.Kind kind = useKind(u, m, axis);
                if (kind == null) {
                    return Finding.none(u.describe() + " reads the N×C value " + m.describe()
                            + " in a way that does not split by columns");
                }
                if (kind == ClassRegion.Kind.CLASS_ROWS || kind == ClassRegion.Kind.TOTAL_SUM) {
                    for (Tensor p : users.get(u)) { // the products that read the transpose, or the sums of the flattened member
                        uses.add(new Use(p, m, kind));
                    }
                } else {
                    uses.add(new Use(u, m, kind));
                }
            }
        }
        return Finding.of(withPasses(axis, ordered, uses));
    }

    /**
     * Null when every input of member {@code m} is one the chunks can have; else why not. A member
     * of rank 3 (the view over the centres) reads members and scalars only.
     */
    private String badInput(Tensor m, Set<Tensor> members, ClassAxis axis) {
        int n = axis.rows();
        for (int k = 0; k < m.arity(); k++) {
            Tensor in = m.input(k);
            if (members.contains(in)) {
                continue;
            }
            if (m.op() == Op.MATMUL) {
                continue; // a product's operands: x [N, D] whole, W [C, D] by rows
            }
            if (m.op() == Op.ONE_HOT && in.shape().equals(Shape.of(n))) {
                continue;
            }
            if (in.shape().numel() == 1 || (m.shape().rank() == 2 && (axis.isRowValue(in) || axis.isColumnValue(in)))) {
                continue;
            }
            if (axis.isMemberShape(in.shape()) && ClassRegion.broadcastScalarOf(in) != null) {
                continue; // a scalar expanded to the member's shape: each chunk expands it itself
            }
            return m.describe() + " reads " + in.describe() + ", which is neither a row value [" + n + ", 1], a column value ["
                    + axis.classes() + "] nor a scalar (or a broadcast of one)";
        }
        return null;
    }

    /**
     * How the outside node {@code u} uses member {@code m}, or null if chunks cannot make it. Only
     * the matrices [N, C] and [N, C·K] are read outside; the view over the centres stays inside.
     */
    private ClassRegion.Kind useKind(Tensor u, Tensor m, ClassAxis axis) {
        int n = axis.rows();
        if (!axis.isMatrixMemberShape(m.shape())) {
            return null;
        }
        if (u.op() == Op.SUM || u.op() == Op.MAX) {
            int along = u.attrs().integer(0);
            boolean sum = u.op() == Op.SUM;
            return along == 1 ? (sum ? ClassRegion.Kind.ROW_SUM : ClassRegion.Kind.ROW_MAX)
                    : along == 0 ? (sum ? ClassRegion.Kind.COLUMN_SUM : ClassRegion.Kind.COLUMN_MAX) : null;
        }
        if (u.op() == Op.MATMUL && u.input(0) == m && u.input(1) != m && u.input(1).shape().rank() == 2
                && u.input(1).shape().dim(0) == m.shape().dim(1)) {
            return ClassRegion.Kind.CONTRACT_CLASSES;
        }
        if (u.op() == Op.RESHAPE && u.shape().rank() == 1 && !outputs.contains(u)) { // [N, C] → [N·C]
            List<Tensor> after = users.getOrDefault(u, List.of());
            boolean summed = !after.isEmpty() && after.stream().allMatch(t -> t.op() == Op.SUM && t.attrs().integer(0) == 0);
            return summed ? ClassRegion.Kind.TOTAL_SUM : null;
        }
        if (u.op() == Op.TRANSPOSE && !outputs.contains(u)) {
            List<Tensor> after = users.getOrDefault(u, List.of());
            boolean rowsPerClass = !after.isEmpty() && after.stream().allMatch(p -> p.op() == Op.MATMUL && p.input(0) == u
                    && p.input(1) != u && p.input(1).shape().rank() == 2 && p.input(1).shape().dim(0) == n);
            return rowsPerClass ? ClassRegion.Kind.CLASS_ROWS : null;
        }
        return null;
    }

    private record Use(Tensor node, Tensor member, ClassRegion.Kind kind) {
    }

    /**
     * The row max whose pass a row sum of exp(z − max z) joins (online log-sum-exp), or null: the
     * sum's z and exp(z − m) must be members and m a row-max consumer of z.
     */
    private static Tensor online(Use use, Map<Tensor, Use> useOf) {
        if (use.kind() != ClassRegion.Kind.ROW_SUM) {
            return null;
        }
        Tensor m = ClassRegion.onlineMaxOf(use.node());
        Use max = m == null ? null : useOf.get(m);
        return max != null && max.kind() == ClassRegion.Kind.ROW_MAX && max.member() == m.input(0) ? m : null;
    }

    /**
     * Numbers the passes in one walk in graph order: a node needs the latest pass among the
     * consumers it depends on (a member through its outside inputs, an outside node through
     * anything), and a consumer is computed in the pass after what it needs.
     */
    private ClassRegion withPasses(ClassAxis axis, List<Tensor> members, List<Use> uses) {
        Map<Tensor, Use> useOf = new HashMap<>();
        for (Use use : uses) {
            useOf.put(use.node(), use);
        }
        Map<Tensor, Integer> need = new HashMap<>();
        Map<Tensor, Integer> pass = new HashMap<>();
        for (Tensor t : graph.nodes()) {
            int needs = 0;
            for (int k = 0; k < t.arity(); k++) {
                Tensor in = t.input(k);
                needs = Math.max(needs, pass.containsKey(in) ? pass.get(in) : need.getOrDefault(in, 0));
            }
            need.put(t, needs);
            if (useOf.containsKey(t)) {
                Tensor max = online(useOf.get(t), useOf);
                pass.put(t, max != null ? pass.get(max) : needs + 1);
            }
        }
        List<ClassRegion.Consumer> consumers = new ArrayList<>();
        int passes = 0;
        for (Tensor t : graph.nodes()) {
            Use use = useOf.get(t);
            if (use != null) {
                Tensor max = online(use, useOf);
                consumers.add(max != null ? new ClassRegion.Consumer(t, max.input(0), ClassRegion.Kind.ROW_SUM_EXP, pass.get(t))
                        : new ClassRegion.Consumer(t, use.member(), use.kind(), pass.get(t)));
                passes = Math.max(passes, pass.get(t));
            }
        }
        PerClassValues perClass = PerClassValues.of(graph, users, new HashSet<>(members), consumers, axis);
        for (Tensor t : perClass.readOutside(graph, users)) {
            ClassRegion.Consumer rows = perClass.rowsOf.get(t);
            consumers.add(new ClassRegion.Consumer(t, rows.member(), ClassRegion.Kind.PER_CLASS, rows.pass()));
        }
        List<Tensor> order = graph.nodes();
        consumers.sort(java.util.Comparator.comparingInt(x -> order.indexOf(x.node())));
        List<Tensor> products = members.stream().filter(t -> t.op() == Op.MATMUL).toList();
        return new ClassRegion(axis, products, members, consumers, passes, perClass.recomputed, perClass.afterRows,
                perClass.chunkOnly);
    }
}
