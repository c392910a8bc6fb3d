package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * clamp at exactly lo or hi: there the central difference straddles the corner and means
 * nothing, so the documented rule (the gradient passes at lo ≤ x ≤ hi, bounds included, as
 * torch.clamp) is checked against the one-sided difference from inside the interval, which it
 * must equal; elsewhere in the same array the central difference applies as usual.
 */
class ClampBoundsTest {
    private enum Where { AT_LO, AT_HI, INSIDE, BELOW, ABOVE }

    private record Case(double lo, double hi, NDArray x, Where[] where, GradCase grad) {
        @Override
        public String toString() {
            return grad + "\n  positions " + java.util.Arrays.toString(where);
        }
    }

    private static Gen<Case> cases() {
        Gen<double[]> bounds = Gen.zip(Gens.doubles(-2, 1, 0.3, 0, -1), Gens.doubles(1e-2, 2, 0.3, 1), (lo, w) -> new double[] {lo, lo + w});
        return bounds.flatMap(b -> Domains.smallShapes().flatMap(s -> Gen.zip(
                Gen.listOf(s.size(), Gen.zip(Gens.elements(Where.AT_LO, Where.AT_HI, Where.INSIDE, Where.BELOW, Where.ABOVE),
                        Gens.doubles(1e-3, 1), Pair::new)),
                Gens.seeds(),
                (positions, seed) -> {
                    double lo = b[0];
                    double hi = b[1];
                    double[] x = new double[s.size()];
                    Where[] where = new Where[x.length];
                    for (int j = 0; j < x.length; j++) {
                        Pair<Where, Double> p = positions.get(j);
                        where[j] = p.first();
                        double u = p.second();
                        x[j] = switch (p.first()) {
                            case AT_LO -> lo;
                            case AT_HI -> hi;
                            case INSIDE -> lo + (hi - lo) * (0.05 + 0.9 * u); // off both bounds by 5% of the width
                            case BELOW -> lo - u;
                            case ABOVE -> hi + u;
                        };
                    }
                    NDArray xs = NDArray.of(s, x);
                    GradCase c = GradCase.of("clamp(lo=" + lo + ", hi=" + hi + ") " + s, seed, (t, a) -> a[0].clamp(lo, hi), xs);
                    return new Case(lo, hi, xs, where, c);
                })));
    }

    @Test
    void atTheBoundsTheGradientPassesAndEqualsTheOneSidedDifferenceFromInside() {
        Property.forAll("clamp at its bounds: inclusive rule = one-sided difference from inside", cases(), c -> {
            Probe p = Probe.of(c.grad());
            double[] analytic = p.analytic()[0].data();
            double[] v = p.cotangent().data();
            double base = p.lossMoved(0, 0, 0);
            double h = Tolerance.STEP;
            for (int j = 0; j < analytic.length; j++) {
                double numeric = switch (c.where()[j]) {
                    case AT_LO -> (p.lossMoved(0, j, h) - base) / h;
                    case AT_HI -> (base - p.lossMoved(0, j, -h)) / h;
                    default -> (p.lossMoved(0, j, h) - p.lossMoved(0, j, -h)) / (2 * h);
                };
                boolean atBound = c.where()[j] == Where.AT_LO || c.where()[j] == Where.AT_HI;
                boolean flows = atBound || c.where()[j] == Where.INSIDE;
                double rule = flows ? v[j] : 0.0;
                if (analytic[j] != rule) {
                    throw new AssertionError("element " + j + " (" + c.where()[j] + "): gradient " + analytic[j]
                            + ", the inclusive rule says " + rule + "\n" + p.dump());
                }
                if (!Tolerance.close(analytic[j], numeric)) {
                    throw new AssertionError("element " + j + " (" + c.where()[j] + "): analytic " + analytic[j] + " vs "
                            + (atBound ? "one-sided" : "central") + " difference " + numeric + "\n" + p.dump());
                }
            }
        });
    }

    @Test
    void zeroUpstreamAtTheBoundsGivesExactlyZero() {
        Property.forAll("clamp at its bounds: zero upstream gives zero gradients", cases(),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c.grad(), GradientTable.STANDARD));
    }
}
