package org.arcgrad.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The branches a forward graph takes at one point, so that a gradient check can tell a central
 * difference that straddled a kink from a wrong gradient. Losses contain clamp, max, relu, abs,
 * maximum, minimum, where and max pooling, whose branch can flip within a difference step when a value lies
 * that close to the switch (a cosine placed at a clamp's bound, a row shrunk to zero inside
 * normalize's eps). The difference then averages two slopes, or spans a jump, and disagrees with
 * the analytic gradient without any rule being wrong.
 *
 * <p>The pattern is every comparison mask, every where mask, the side of every clamp input
 * relative to its bounds (below, at lo, inside, at hi, above), every max's argmax mask, the winner
 * of every max-pooling window (a ReLU's zeros tie there), the sign of every abs input and which
 * operand of every maximum and minimum is the larger. Where the pattern
 * is the same at every point a difference evaluates, the function is smooth along that segment
 * (up to a branch that flips and flips back between two points) and the difference can be trusted.
 */
final class BranchPattern {
    private final Graph graph;
    private final Map<Tensor, NDArray> held;

    private BranchPattern(Graph graph, Map<Tensor, NDArray> held) {
        this.graph = graph;
        this.held = held;
    }

    /** The pattern of {@code forward}'s branches (null when it has none), evaluated holding {@code held} as the check does. */
    static BranchPattern of(Graph forward, Map<Tensor, NDArray> held) {
        List<Tensor> masks = new ArrayList<>();
        for (Tensor n : forward.nodes()) {
            if (n.op().isComparison()) {
                masks.add(n);
            } else if (n.op() == Op.WHERE) {
                masks.add(n.input(0).eq(0));
            } else if (n.op() == Op.MAX) {
                masks.add(n.input(0).eq(n));
            } else if (n.op() == Op.ABS) {
                masks.add(sign(n.input(0)));
            } else if (n.op() == Op.MAXIMUM || n.op() == Op.MINIMUM) {
                masks.add(n.input(0).gt(n.input(1)).sub(n.input(0).lt(n.input(1))));
            } else if (n.op() == Op.MAX_POOL2D_SELECT) {
                // every window's winner, as how many windows each element of x wins
                masks.add(n.tape().record(Op.MAX_POOL2D_SCATTER, n.attrs(), n.input(0), n.tape().full(n.shape(), 1)));
            } else if (n.op() == Op.CLAMP) {
                Tensor x = n.input(0);
                double lo = n.attrs().scalar(0);
                double hi = n.attrs().scalar(1);
                masks.add(x.lt(lo).add(x.le(lo)).add(x.lt(hi)).add(x.le(hi)));
            }
        }
        return masks.isEmpty() ? null : new BranchPattern(Graph.of(masks.toArray(new Tensor[0])), held);
    }

    private static Tensor sign(Tensor x) {
        return x.gt(0).sub(x.lt(0));
    }

    /** The branches taken at the current feeds. */
    List<double[]> at(Map<Tensor, NDArray> feeds) {
        List<double[]> r = new ArrayList<>();
        for (NDArray a : Interpreter.runHolding(graph, feeds, held)) {
            r.add(a.data());
        }
        return r;
    }

    static boolean same(List<double[]> a, List<double[]> b) {
        for (int k = 0; k < a.size(); k++) {
            if (!Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }
}
