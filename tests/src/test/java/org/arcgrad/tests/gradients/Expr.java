package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * A random expression tree: leaves are differentiable parameters (values drawn from the leaf's own
 * seed, uniform in [−2, 2]) or integer labels; inner nodes apply a {@link Step}. It compiles to a
 * {@link GradCase}, prints as a formula, and shrinks by structure: a node becomes a leaf of its
 * shape, or is replaced by a child of its shape, or a child shrinks (and at the root, where the
 * shape is free, any subtree may become the whole tree: see {@link ExprGen#exprs}). Values are never shrunk: a
 * "rounder" value could land on a kink and swap one failure for another.
 *
 * <p>An expression is a DAG, not only a tree: one Expr object may be the child of several nodes,
 * or twice the child of one (x·xᵀ, x*x, where(m, a, a)). It is then built once, one tensor read by
 * every user, as a user's shared subexpression is; it prints as {@code #k=…} where first seen and
 * {@code #k} after. Shrinking a node copies its parent, so a shrink may undo some sharing, never
 * make a graph invalid.
 */
final class Expr {
    enum Kind { PARAM, LABELS, OP }

    /** Leaf values are uniform in ±LEAF_RANGE. */
    static final double LEAF_RANGE = 2;

    private final Kind kind;
    private final Step step;
    private final Shape shape;
    private final List<Expr> children;
    private final long seed;
    private final int classes;

    private Expr(Kind kind, Step step, Shape shape, List<Expr> children, long seed, int classes) {
        this.kind = kind;
        this.step = step;
        this.shape = shape;
        this.children = children;
        this.seed = seed;
        this.classes = classes;
    }

    static Expr param(Shape shape, long seed) {
        return new Expr(Kind.PARAM, null, shape, List.of(), seed, 0);
    }

    /** Integer labels in [0, classes), with 0 and classes − 1 favoured. */
    static Expr labels(Shape shape, int classes, long seed) {
        return new Expr(Kind.LABELS, null, shape, List.of(), seed, classes);
    }

    static Expr op(Step step, Shape shape, List<Expr> children, long seed) {
        return new Expr(Kind.OP, step, shape, List.copyOf(children), seed, 0);
    }

    Shape shape() {
        return shape;
    }

    Kind kind() {
        return kind;
    }

    /** Number of distinct nodes (a shared node counts once). */
    int size() {
        return distinct().size();
    }

    /** Every distinct node reachable from here, in pre-order of first visit. */
    private List<Expr> distinct() {
        return distinct(List.of(this));
    }

    /** Every distinct node reachable from the roots, in pre-order of first visit, root after root. */
    static List<Expr> distinct(List<Expr> roots) {
        List<Expr> order = new ArrayList<>();
        java.util.Set<Expr> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Expr r : roots) {
            visit(r, seen, order);
        }
        return order;
    }

    private static void visit(Expr e, java.util.Set<Expr> seen, List<Expr> order) {
        if (seen.add(e)) {
            order.add(e);
            for (Expr c : e.children) {
                visit(c, seen, order);
            }
        }
    }

    // ---- shrinking ------------------------------------------------------------------------------

    /** Smaller trees, most aggressive first. */
    Stream<Expr> shrinks() {
        if (kind != Kind.OP) {
            return Stream.empty();
        }
        Stream<Expr> leaf = Stream.of(param(shape, seed));
        Stream<Expr> promoted = children.stream().filter(c -> c.kind == Kind.OP && c.shape.equals(shape));
        Stream<Expr> inner = IntStream.range(0, children.size()).boxed()
                .flatMap(i -> children.get(i).shrinks().map(c -> withChild(i, c)));
        return Stream.concat(Stream.concat(leaf, promoted), inner);
    }

    /** Every distinct inner node below this one (not this one), smallest first. */
    List<Expr> innerSubtrees() {
        List<Expr> all = new ArrayList<>();
        for (Expr e : distinct()) {
            if (e != this && e.kind == Kind.OP) {
                all.add(e);
            }
        }
        all.sort(java.util.Comparator.comparingInt(Expr::size));
        return all;
    }

    private Expr withChild(int i, Expr c) {
        List<Expr> copy = new ArrayList<>(children);
        copy.set(i, c);
        return new Expr(kind, step, shape, Collections.unmodifiableList(copy), seed, classes);
    }

    // ---- compiling --------------------------------------------------------------------------------

    /** The gradient check of this tree: parameters in pre-order are the inputs, labels are fed as "labels0", … */
    GradCase toCase() {
        List<Expr> params = new ArrayList<>();
        List<Expr> labels = new ArrayList<>();
        collect(List.of(this), params, labels);
        NDArray[] values = new NDArray[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(i).paramValues();
        }
        Map<String, NDArray> fixed = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            fixed.put("labels" + i, labels.get(i).labelValues());
        }
        GradCase c = GradCase.of(toString(), seed, (tape, args) -> new Builder(tape, args).build(this).t(), values);
        for (Map.Entry<String, NDArray> e : fixed.entrySet()) {
            c = c.withFixed(e.getKey(), e.getValue());
        }
        return c;
    }

    /** The distinct leaves of the roots in pre-order of first visit: the order {@link Builder} hands out arguments. */
    static void collect(List<Expr> roots, List<Expr> params, List<Expr> labels) {
        for (Expr e : distinct(roots)) {
            if (e.kind == Kind.PARAM) {
                params.add(e);
            } else if (e.kind == Kind.LABELS) {
                labels.add(e);
            }
        }
    }

    /** A parameter leaf's values: uniform in ±LEAF_RANGE from its own seed. */
    NDArray paramValues() {
        return NDArray.uniform(shape, -LEAF_RANGE, LEAF_RANGE, new Random(seed));
    }

    /** A labels leaf's values: in [0, classes), with 0 and classes − 1 favoured. */
    NDArray labelValues() {
        Random r = new Random(seed);
        double[] d = new double[shape.size()];
        for (int i = 0; i < d.length; i++) {
            double u = r.nextDouble();
            d[i] = u < 0.25 ? 0 : (u < 0.5 ? classes - 1 : r.nextInt(classes));
        }
        return NDArray.of(shape, d);
    }

    /**
     * Builds expressions on a tape, handing out parameters and label inputs in pre-order of first
     * visit, as {@link #collect} lists them; a shared node is built once (one tensor, every user
     * reads it), also across several expressions built by one Builder.
     */
    static final class Builder {
        private final Tape tape;
        private final Tensor[] args;
        private final Map<Expr, Built> built = new java.util.IdentityHashMap<>();
        private int nextParam;
        private int nextLabels;

        Builder(Tape tape, Tensor[] args) {
            this.tape = tape;
            this.args = args;
        }

        Built build(Expr e) {
            Built b = built.get(e);
            if (b == null) {
                b = make(e);
                built.put(e, b);
            }
            return b;
        }

        private Built make(Expr e) {
            switch (e.kind) {
                case PARAM:
                    return new Built(args[nextParam++], LEAF_RANGE);
                case LABELS:
                    return new Built(tape.labels("labels" + nextLabels++, e.shape.dims()), 0);
                default:
                    List<Built> in = new ArrayList<>(e.children.size());
                    for (Expr c : e.children) {
                        in.add(build(c));
                    }
                    return e.step.apply().apply(in);
            }
        }
    }

    // ---- printing ---------------------------------------------------------------------------------

    /**
     * The formula, leaves numbered in pre-order as the inputs arg0, arg1, … and labels0, … of the
     * case; a shared inner node prints as #k=… where first seen and as #k after.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        new Printer(List.of(this)).print(this, b);
        return b.append("   (").append(size()).append(" nodes, result ").append(shape).append(")").toString();
    }

    /** Prints expressions that may share nodes, numbering leaves and shared nodes across all of them. */
    static final class Printer {
        private final Map<Expr, Integer> uses = new java.util.IdentityHashMap<>();
        private final Map<Expr, String> names = new java.util.IdentityHashMap<>();
        private int params;
        private int labels;
        private int shared;

        Printer(List<Expr> roots) {
            for (Expr r : roots) {
                count(r);
            }
        }

        private void count(Expr e) {
            if (uses.merge(e, 1, Integer::sum) == 1) {
                for (Expr c : e.children) {
                    count(c);
                }
            }
        }

        void print(Expr e, StringBuilder b) {
            String name = names.get(e);
            if (name != null) {
                b.append(name);
                return;
            }
            switch (e.kind) {
                case PARAM -> {
                    name = "arg" + params++;
                    b.append(name).append(e.shape);
                }
                case LABELS -> {
                    name = "labels" + labels++;
                    b.append(name).append(e.shape).append("<").append(e.classes).append(">");
                }
                default -> {
                    if (uses.get(e) > 1) {
                        name = "#" + shared++;
                        b.append(name).append('=');
                    }
                    b.append(e.step.name()).append('(');
                    for (int i = 0; i < e.children.size(); i++) {
                        b.append(i == 0 ? "" : ", ");
                        print(e.children.get(i), b);
                    }
                    b.append(')');
                }
            }
            if (name != null) {
                names.put(e, name);
            }
        }
    }
}
