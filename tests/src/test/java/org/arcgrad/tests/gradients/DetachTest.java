package org.arcgrad.tests.gradients;

import java.util.Arrays;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * DETACH's rule is "no gradient", which a finite difference of the same function never agrees with
 * (the difference sees through detach). Its meaning is: the detached value acts as a constant. So
 * the property compares f(x, detach(x)) with f(x, k) where k is a fed input holding x's value:
 * same forward values, bitwise the same analytic gradient, and the latter passes GradCheck.
 */
@Covers(ops = Op.DETACH)
class DetachTest {
    /** f(x, d) = x · d + exp(d) · 0.5 − d: every term touches the detached operand. */
    private static Tensor f(Tensor x, Tensor d) {
        return x.mul(d).add(d.exp().scale(0.5)).sub(d);
    }

    private static Gen<Pair<NDArray, Long>> cases() {
        return Gen.zip(Domains.arrays(Domains.reals()), Gens.seeds(), Pair::new);
    }

    @Test
    void aDetachedValueActsAsAConstant() {
        Property.forAll("detach: gradient as if the detached value were a fed constant", cases(), xs -> {
            NDArray x = xs.first();
            GradCase detached = GradCase.of("x·detach(x) + exp(detach(x))/2 − detach(x) " + x.shape(), xs.second(),
                    (t, a) -> f(a[0], a[0].detach()), x);
            GradCase constant = GradCase.of("x·k + exp(k)/2 − k, k fed = x " + x.shape(), xs.second(),
                    (t, a) -> f(a[0], t.input("k", x.shape().dims())), x).withFixed("k", x);
            Probe pd = Probe.of(detached);
            Probe pc = Probe.of(constant);
            if (pd.lossMoved(0, 0, 0) != pc.lossMoved(0, 0, 0)) {
                throw new AssertionError("forward values differ: " + pd.lossMoved(0, 0, 0) + " vs " + pc.lossMoved(0, 0, 0));
            }
            double[] gd = pd.analytic()[0].data();
            double[] gc = pc.analytic()[0].data();
            if (!Arrays.equals(gd, gc)) {
                throw new AssertionError("gradient through detach " + Arrays.toString(gd) + " differs from the constant's "
                        + Arrays.toString(gc) + "\n" + pd.dump());
            }
            GradientAssertions.assertMatchesFiniteDifferences(constant, GradientTable.STANDARD);
        });
    }

    @Test
    void zeroUpstreamGradientGivesExactlyZero() {
        Property.forAll("detach: zero upstream gives zero gradients", cases(), xs -> GradientAssertions.assertZeroUpstreamGivesZero(
                GradCase.of("x·detach(x) + exp(detach(x))/2 − detach(x)", xs.second(), (t, a) -> f(a[0], a[0].detach()), xs.first()),
                GradientTable.STANDARD));
    }
}
