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

    /** Number of nodes. */
    int size() {
        int n = 1;
        for (Expr c : children) {
            n += c.size();
        }
        return n;
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

    /** Every inner node below this one (not this one), smallest first. */
    List<Expr> innerSubtrees() {
        List<Expr> all = new ArrayList<>();
        for (Expr c : children) {
            c.collectInner(all);
        }
        all.sort(java.util.Comparator.comparingInt(Expr::size));
        return all;
    }

    private void collectInner(List<Expr> into) {
        if (kind == Kind.OP) {
            into.add(this);
            for (Expr c : children) {
                c.collectInner(into);
            }
        }
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
        collect(params, labels);
        NDArray[] values = new NDArray[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = NDArray.uniform(params.get(i).shape, -LEAF_RANGE, LEAF_RANGE, new Random(params.get(i).seed));
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

    private void collect(List<Expr> params, List<Expr> labels) {
        if (kind == Kind.PARAM) {
            params.add(this);
        } else if (kind == Kind.LABELS) {
            labels.add(this);
        }
        for (Expr c : children) {
            c.collect(params, labels);
        }
    }

    private NDArray labelValues() {
        Random r = new Random(seed);
        double[] d = new double[shape.size()];
        for (int i = 0; i < d.length; i++) {
            double u = r.nextDouble();
            d[i] = u < 0.25 ? 0 : (u < 0.5 ? classes - 1 : r.nextInt(classes));
        }
        return NDArray.of(shape, d);
    }

    /** Builds a tree on a tape, handing out parameters and label inputs in pre-order, as {@link #collect} lists them. */
    private static final class Builder {
        private final Tape tape;
        private final Tensor[] args;
        private int nextParam;
        private int nextLabels;

        Builder(Tape tape, Tensor[] args) {
            this.tape = tape;
            this.args = args;
        }

        Built build(Expr e) {
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

    /** The formula, leaves numbered in pre-order as the inputs arg0, arg1, … and labels0, … of the case. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        print(b, new int[2]);
        return b.append("   (").append(size()).append(" nodes, result ").append(shape).append(")").toString();
    }

    private void print(StringBuilder b, int[] counters) {
        switch (kind) {
            case PARAM -> b.append("arg").append(counters[0]++).append(shape);
            case LABELS -> b.append("labels").append(counters[1]++).append(shape).append("<").append(classes).append(">");
            default -> {
                b.append(step.name()).append('(');
                for (int i = 0; i < children.size(); i++) {
                    b.append(i == 0 ? "" : ", ");
                    children.get(i).print(b, counters);
                }
                b.append(')');
            }
        }
    }
}
