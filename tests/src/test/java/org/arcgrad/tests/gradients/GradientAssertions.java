package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Property;

/** The checks the properties make of one case, each failing with an AssertionError that shows the tape. */
final class GradientAssertions {
    private GradientAssertions() {
    }

    /** GradCheck (the library's public oracle) passes: analytic gradients equal central differences. */
    static GradCheck.Report assertMatchesFiniteDifferences(GradCase c, GradientTable rules) {
        GradCheck.Report r = c.gradCheck(rules).check(c.inputs().toArray(NDArray[]::new));
        if (!r.passed()) {
            throw new AssertionError(r + "\n" + "forward tape:\n" + BuiltCase.dump(c));
        }
        return r;
    }

    /**
     * With an all-zero cotangent every gradient is exactly 0 and none is NaN: a rule that multiplies
     * the upstream gradient by an infinity (0 · ∞) or adds a term that ignores it shows up here.
     */
    static void assertZeroUpstreamGivesZero(GradCase c, GradientTable rules) {
        BuiltCase b = BuiltCase.of(c, rules);
        Tensor loss = b.dot("zero.cotangent", NDArray.zeros(b.out().shape()));
        NDArray[] grads = Interpreter.run(b.feeds(), b.tape().grad(loss, b.args()));
        for (int i = 0; i < grads.length; i++) {
            double[] g = grads[i].data();
            for (int j = 0; j < g.length; j++) {
                if (g[j] != 0.0) {
                    throw new AssertionError("zero upstream gradient gave d/d arg" + i + "[" + j + "] = " + g[j]
                            + " (expected exactly 0)\ntape with backward:\n" + b.tape().dump());
                }
            }
        }
    }

    /**
     * As {@link #assertMatchesFiniteDifferences}, for cases that may sit entirely on kinks (random
     * expressions): GradCheck does not judge an element whose difference step crosses a branch, and
     * a case where no element could be judged is discarded, not failed.
     */
    static void assertMatchesFiniteDifferencesAwayFromKinks(GradCase c, GradientTable rules) {
        GradCheck.Report r = c.gradCheck(rules).check(c.inputs().toArray(NDArray[]::new));
        if (!r.passed()) {
            Property.assume(r.atBranches() < r.checked(), "every difference step straddles a kink: " + r);
            // a random expression's case prints as its formula only; its values matter to whoever debugs it
            throw new AssertionError(r + "\ncase: " + c + "\nforward tape:\n" + BuiltCase.dump(c));
        }
    }
}
