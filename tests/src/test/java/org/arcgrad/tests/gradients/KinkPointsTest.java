package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.arcgrad.tests.property.Shapes;
import org.junit.jupiter.api.Test;

/**
 * The points where a composite is not differentiable and the library picks a value: relu at 0,
 * and normalize at a zero row. The picked value must be finite and the documented one.
 */
class KinkPointsTest {
    @Test
    void reluAtZeroHasGradientZeroAsTheLeftDifferenceSays() {
        Property.forAll("relu at 0: gradient 0 (torch's choice), the left one-sided difference", reluWithZeros(), c -> {
                    Probe p = Probe.of(c);
                    double[] g = p.analytic()[0].data();
                    double[] x = c.inputs().get(0).data();
                    double[] v = p.cotangent().data();
                    for (int j = 0; j < g.length; j++) {
                        double expected = x[j] > 0 ? v[j] : 0.0;
                        if (g[j] != expected) {
                            throw new AssertionError("x = " + x[j] + ": gradient " + g[j] + ", expected " + expected + "\n" + p.dump());
                        }
                        if (x[j] == 0) {
                            double left = (p.lossMoved(0, 0, 0) - p.lossMoved(0, j, -Tolerance.STEP)) / Tolerance.STEP;
                            if (!Tolerance.close(g[j], left)) {
                                throw new AssertionError("x = 0: gradient " + g[j] + " vs left difference " + left);
                            }
                        }
                    }
                });
    }

    /** relu of arrays in which most values are exactly 0. */
    private static Gen<GradCase> reluWithZeros() {
        return Gen.zip(Domains.arrays(Gens.doubles(-2, 2, 0.6, 0.0)), Gens.seeds(),
                (x, seed) -> GradCase.of("relu " + x.shape(), seed, (t, a) -> Functional.relu(a[0]), x));
    }

    /** normalize (default eps) of arrays with zero rows. */
    private static Gen<GradCase> normalizeWithZeroRows() {
        return Gen.zip(withZeroRows(), Gens.seeds(), (x, seed) -> GradCase.of("normalize " + x.shape(), seed,
                (t, a) -> Functional.normalize(a[0]), x));
    }

    /** Arrays of rank 1–3 in which every slice along the last axis is zero with probability 1/2. */
    private static Gen<NDArray> withZeroRows() {
        return Shapes.shapes(1, 3, 4).flatMap(s -> Gen.zip(Domains.array(s, Domains.awayFrom(0, 0.1)),
                Gen.listOf(s.size() / s.dim(s.rank() - 1), Gens.booleans(0.5)), (x, zero) -> {
                    double[] d = x.data().clone();
                    int[][] rows = NDArrays.slicesAlong(s, -1);
                    for (int r = 0; r < rows.length; r++) {
                        if (zero.get(r)) {
                            for (int i : rows[r]) {
                                d[i] = 0;
                            }
                        }
                    }
                    return NDArray.of(s, d);
                }));
    }

    /**
     * normalize(x) = x / max(‖x‖, eps): near a zero row it is x / eps, so its gradient there is the
     * upstream gradient divided by eps: finite (no 0 · ∞), v / eps for the default eps (torch's value too).
     */
    @Test
    void normalizeAtAZeroRowHasTheFiniteGradientUpstreamOverEps() {
        Property.forAll("normalize at a zero row: gradient = upstream / eps", normalizeWithZeroRows(), c -> {
                    Probe p = Probe.of(c);
                    double[] g = p.analytic()[0].data();
                    double[] v = p.cotangent().data();
                    Shape s = c.inputs().get(0).shape();
                    double[] norms = NDArrays.normsAlong(c.inputs().get(0), -1);
                    int[][] rows = NDArrays.slicesAlong(s, -1);
                    for (int r = 0; r < rows.length; r++) {
                        for (int i : rows[r]) {
                            if (!Double.isFinite(g[i])) {
                                throw new AssertionError("element " + i + ": gradient " + g[i] + "\n" + p.dump());
                            }
                            // pow(eps², −1/2) is 1/eps to within an ulp or two
                            if (norms[r] == 0 && Math.abs(g[i] - v[i] / Functional.NORMALIZE_EPS) > 1e-14 * Math.abs(v[i] / Functional.NORMALIZE_EPS)) {
                                throw new AssertionError("zero row " + r + ", element " + i + ": gradient " + g[i] + ", expected upstream / eps = "
                                        + v[i] / Functional.NORMALIZE_EPS + "\n" + p.dump());
                            }
                        }
                    }
                });
    }

    /** With a large eps the zero row sits inside the smooth x / eps region, so the central difference applies. */
    @Test
    void normalizeWithALargeEpsIsSmoothThroughAZeroRow() {
        Property.forAll("normalize(x, -1, 0.5) at zero rows: analytic = central difference",
                Gen.zip(withZeroRows(), Gens.seeds(), (x, seed) -> GradCase.of("normalize(x, -1, eps=0.5) " + x.shape(), seed,
                        (t, a) -> Functional.normalize(a[0], -1, 0.5), x))
                        .filter("non-zero rows off the eps corner", c -> {
                            for (double n : NDArrays.normsAlong(c.inputs().get(0), -1)) {
                                if (Math.abs(n - 0.5) < 1e-4) {
                                    return false;
                                }
                            }
                            return true;
                        }),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, GradientTable.STANDARD));
    }

    @Test
    void zeroUpstreamAtTheKinksGivesExactlyZero() {
        Property.forAll("relu at 0 and normalize at zero rows: zero upstream gives zero gradients",
                Gens.oneOf(reluWithZeros(), normalizeWithZeroRows()),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c, GradientTable.STANDARD));
    }
}
