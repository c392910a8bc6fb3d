package org.arcgrad.tests.gradients;

import java.util.HashMap;
import java.util.Map;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;

/**
 * A case's scalar loss ⟨out, v⟩ (v a Gaussian cotangent from the case's seed) with its analytic
 * gradient, and the loss at moved inputs: for the checks that GradCheck's central difference
 * cannot make (one-sided differences at a clamp bound, exact values at ties and at cos = ±1).
 */
final class Probe {
    private final BuiltCase built;
    private final Tensor loss;
    private final Graph forward;
    private final NDArray cotangent;

    private Probe(BuiltCase built, Tensor loss, NDArray cotangent) {
        this.built = built;
        this.loss = loss;
        this.forward = Graph.of(loss);
        this.cotangent = cotangent;
    }

    static Probe of(GradCase c) {
        BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
        NDArray v = NDArray.gaussian(b.out().shape(), new java.util.Random(c.seed()));
        return new Probe(b, b.dot("probe.cotangent", v), v);
    }

    /** The cotangent v of ⟨out, v⟩. */
    NDArray cotangent() {
        return cotangent;
    }

    /** d loss / d arg_i for every input, from the tape's backward pass. */
    NDArray[] analytic() {
        return Interpreter.run(built.feeds(), built.tape().grad(loss, built.args()));
    }

    /** The loss with element {@code j} of input {@code i} moved by {@code delta}. */
    double lossMoved(int i, int j, double delta) {
        Map<Tensor, NDArray> feeds = new HashMap<>(built.feeds());
        NDArray moved = feeds.get(built.args()[i]).copy();
        moved.data()[j] += delta;
        feeds.put(built.args()[i], moved);
        return Interpreter.run(forward, feeds)[0].item();
    }

    String dump() {
        return built.tape().dump();
    }
}
