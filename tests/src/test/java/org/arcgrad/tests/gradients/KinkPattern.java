package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * Tells whether a central difference straddled a kink. Random expressions contain clamp, max,
 * relu, abs, maximum, minimum and where, whose branch can flip within a difference step of 1e-6
 * when a value happens to lie that close to the switch (rare, but over thousands of tries it
 * happens). Then the difference averages two slopes and disagrees with the analytic gradient
 * without any rule being wrong.
 *
 * <p>The branch pattern of a forward graph is every comparison mask, every where mask, the side of
 * every clamp input relative to its bounds (below, at lo, inside, at hi, above), every max's argmax
 * mask, the sign of every abs input and which operand of every maximum and minimum is the larger.
 * If the pattern is the same at x − h·e_j, x and x + h·e_j, the function is smooth along that
 * segment and the difference is trustworthy; otherwise the case is discarded.
 */
final class KinkPattern {
    private KinkPattern() {
    }

    /** True when moving element {@code j} of input {@code i} by ±h changes any branch of the forward graph. */
    static boolean straddles(GradCase c, int i, int j, double h) {
        BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
        List<Tensor> patterns = new ArrayList<>();
        for (Tensor n : Graph.of(b.out()).nodes()) {
            if (n.op().isComparison()) {
                patterns.add(n);
            } else if (n.op() == Op.WHERE) {
                patterns.add(n.input(0).eq(0));
            } else if (n.op() == Op.MAX) {
                patterns.add(n.input(0).eq(n));
            } else if (n.op() == Op.ABS) {
                patterns.add(n.input(0).gt(0).sub(n.input(0).lt(0)));
            } else if (n.op() == Op.MAXIMUM || n.op() == Op.MINIMUM) {
                patterns.add(n.input(0).gt(n.input(1)).sub(n.input(0).lt(n.input(1))));
            } else if (n.op() == Op.CLAMP) {
                Tensor x = n.input(0);
                double lo = n.attrs().scalar(0);
                double hi = n.attrs().scalar(1);
                patterns.add(x.lt(lo).add(x.le(lo)).add(x.lt(hi)).add(x.le(hi)));
            }
        }
        if (patterns.isEmpty()) {
            return false;
        }
        Tensor[] outs = patterns.toArray(new Tensor[0]);
        List<double[]> base = evaluate(b, outs, i, j, 0);
        return !same(base, evaluate(b, outs, i, j, h)) || !same(base, evaluate(b, outs, i, j, -h));
    }

    private static List<double[]> evaluate(BuiltCase b, Tensor[] outs, int i, int j, double delta) {
        Map<Tensor, NDArray> feeds = new HashMap<>(b.feeds());
        NDArray moved = feeds.get(b.args()[i]).copy();
        moved.data()[j] += delta;
        feeds.put(b.args()[i], moved);
        List<double[]> r = new ArrayList<>();
        for (NDArray a : Interpreter.run(feeds, outs)) {
            r.add(a.data());
        }
        return r;
    }

    private static boolean same(List<double[]> a, List<double[]> b) {
        for (int k = 0; k < a.size(); k++) {
            if (!Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }
}
