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
            if (isProduct(n, n.shape().rank() == 2 ? n.shape().dim(0) : -1, n.shape().rank() == 2 ? n.shape().dim(1) : -1)) {
                Finding r = f.grow(n);
                if (r.region().isPresent()) {
                    return r;
                }
                why = r.refusal();
            }
        }
        return Finding.none(why);
    }

    /** x [N, D] · transpose(W [C, D]) → [N, C] (the product's shape rule makes W [C, D]). */
    private static boolean isProduct(Tensor t, int n, int c) {
        return t.op() == Op.MATMUL && t.shape().equals(Shape.of(n, c)) && t.input(1).op() == Op.TRANSPOSE;
    }

    private boolean memberKind(Tensor t, int n, int c) {
        if (!t.shape().equals(Shape.of(n, c))) {
            return false;
        }
        return t.op().kind() == Op.Kind.ELEMENTWISE || t.op() == Op.ONE_HOT || t.op() == Op.EXPAND || isProduct(t, n, c);
    }

    private Finding grow(Tensor seed) {
        int n = seed.shape().dim(0);
        int c = seed.shape().dim(1);
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
                if (!members.contains(t) && memberKind(t, n, c)) {
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
            String bad = badInput(m, members, n, c);
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
                ClassRegion.Kind kind = useKind(u, m, n, c);
                if (kind == null) {
                    return Finding.none(u.describe() + " reads the N×C value " + m.describe()
                            + " in a way that does not split by columns");
                }
                if (kind == ClassRegion.Kind.CLASS_ROWS) {
                    for (Tensor p : users.get(u)) { // the products that read the transpose
                        uses.add(new Use(p, m, kind));
                    }
                } else {
                    uses.add(new Use(u, m, kind));
                }
            }
        }
        return Finding.of(withPasses(n, c, ordered, uses));
    }

    /** Null when every input of member {@code m} is one the chunks can have; else why not. */
    private String badInput(Tensor m, Set<Tensor> members, int n, int c) {
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
            if (isRowValue(in, n) || isColumnValue(in, c) || in.shape().numel() == 1) {
                continue;
            }
            return m.describe() + " reads " + in.describe() + ", which is neither a row value [" + n + ", 1], a column value ["
                    + c + "] nor a scalar";
        }
        return null;
    }

    static boolean isRowValue(Tensor t, int n) {
        return t.shape().equals(Shape.of(n, 1));
    }

    static boolean isColumnValue(Tensor t, int c) {
        return t.shape().equals(Shape.of(c)) || t.shape().equals(Shape.of(1, c));
    }

    /** How the outside node {@code u} uses member {@code m}, or null if chunks cannot make it. */
    private ClassRegion.Kind useKind(Tensor u, Tensor m, int n, int c) {
        if (u.op() == Op.SUM || u.op() == Op.MAX) {
            int axis = u.attrs().integer(0);
            boolean sum = u.op() == Op.SUM;
            return axis == 1 ? (sum ? ClassRegion.Kind.ROW_SUM : ClassRegion.Kind.ROW_MAX)
                    : axis == 0 ? (sum ? ClassRegion.Kind.COLUMN_SUM : ClassRegion.Kind.COLUMN_MAX) : null;
        }
        if (u.op() == Op.MATMUL && u.input(0) == m && u.input(1) != m && u.input(1).shape().rank() == 2
                && u.input(1).shape().dim(0) == c) {
            return ClassRegion.Kind.CONTRACT_CLASSES;
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
    private ClassRegion withPasses(int n, int c, List<Tensor> members, List<Use> uses) {
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
        PerClassValues perClass = PerClassValues.of(graph, users, new HashSet<>(members), consumers, c);
        for (Tensor t : perClass.readOutside(graph, users)) {
            ClassRegion.Consumer rows = perClass.rowsOf.get(t);
            consumers.add(new ClassRegion.Consumer(t, rows.member(), ClassRegion.Kind.PER_CLASS, rows.pass()));
        }
        List<Tensor> order = graph.nodes();
        consumers.sort(java.util.Comparator.comparingInt(x -> order.indexOf(x.node())));
        List<Tensor> products = members.stream().filter(t -> t.op() == Op.MATMUL).toList();
        return new ClassRegion(n, c, products, members, consumers, passes, perClass.recomputed, perClass.afterRows,
                perClass.chunkOnly);
    }
}
