package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * cosAdd where its true derivative is infinite: at c = ±1 exactly, and in the band where the
 * radicand 1 − c² is below the clamp eps. Functional.cosAdd documents the gradient there as cos m
 * (the clamped sine is constant); the check is that it is finite and equals cos m times the
 * upstream gradient, for both overloads. (Values near ±1 but outside the band are checked against
 * central differences in CompositeCases.)
 */
class CosAddEdgesTest {
    private record Case(NDArray c, double m, double eps, boolean defaultEps, long seed) {
        GradCase grad() {
            return GradCase.of((defaultEps ? "cosAdd(c, m=" + m + ")" : "cosAdd(c, m=" + m + ", eps=" + eps + ")") + " " + c.shape(), seed,
                    (t, a) -> defaultEps ? Functional.cosAdd(a[0], m) : Functional.cosAdd(a[0], m, eps), c);
        }

        @Override
        public String toString() {
            return grad().toString();
        }
    }

    /**
     * c = ±sqrt(1 − u·eps) for u in [0, 0.99]: u = 0 is exactly ±1, the rest lie strictly inside the
     * clamped band (for eps = 1e-12 that is 1 − c ≲ 5e-13, still representable).
     */
    private static Gen<Case> cases() {
        Gen<Double> eps = Gens.elements(Functional.COS_ADD_RADICAND_EPS, 1e-6, 1e-3, 0.1);
        Gen<Double> margin = Gens.doubles(0, Math.PI / 2, 0.3, 0.5, 0.0, Math.PI / 2);
        return Gen.zip(eps, Gen.zip(margin, Gens.booleans(0.5), Pair::new), Pair::new).flatMap(em -> {
            double e = em.first();
            boolean defaultEps = e == Functional.COS_ADD_RADICAND_EPS && em.second().second();
            Gen<Double> inBand = Gen.zip(Gens.doubles(0, 0.99, 0.5, 0.0), Gens.booleans(0.5),
                    (u, negative) -> (negative ? -1 : 1) * Math.sqrt(1 - u * e));
            return Gen.zip(Domains.arrays(inBand), Gens.seeds(), (c, seed) -> new Case(c, em.second().first(), e, defaultEps, seed));
        });
    }

    @Test
    void atPlusMinusOneAndInTheClampedBandTheGradientIsCosM() {
        Property.forAll("cosAdd at |c| = 1 and in the clamped band: gradient = cos m, finite", cases(), c -> {
            Probe p = Probe.of(c.grad());
            double[] g = p.analytic()[0].data();
            double[] v = p.cotangent().data();
            double[] cs = c.c().data();
            for (int j = 0; j < g.length; j++) {
                if (1 - cs[j] * cs[j] >= c.eps()) {
                    throw new AssertionError("generator bug: c = " + cs[j] + " is outside the clamped band");
                }
                double expected = v[j] * Math.cos(c.m());
                if (!Double.isFinite(g[j]) || Math.abs(g[j] - expected) > 1e-15 * Math.abs(v[j])) {
                    throw new AssertionError("c = " + cs[j] + ": gradient " + g[j] + ", documented value cos m · upstream = " + expected
                            + "\n" + p.dump());
                }
            }
        });
    }

    @Test
    void zeroUpstreamAtPlusMinusOneGivesExactlyZero() {
        Property.forAll("cosAdd at |c| = 1 and in the clamped band: zero upstream gives zero gradients", cases(),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c.grad(), GradientTable.STANDARD));
    }
}
