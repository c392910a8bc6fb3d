package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.arcgrad.tests.property.Shapes;
import org.junit.jupiter.api.Test;

/**
 * max over an axis at ties. The rule splits the upstream gradient evenly over the tied maxima
 * (torch.amax's choice). At a two-way tie that is exactly what a central difference measures (moving
 * one tied value up raises the max, moving it down leaves the other), so GradCheck must pass; at a
 * tie of k > 2 a central difference still says 1/2, so there the check is that each tied element
 * gets g/k and that they add up to the upstream gradient g.
 */
class MaxTiesTest {
    /** x with, in every slice along {@code axis}, the maximum copied to {@code tie} − 1 more positions. */
    private record Tied(NDArray x, int axis, int tie, List<int[]> tiedPositions) {
    }

    /** Shapes of rank 1–3 whose reduced axis has at least {@code minTie} elements; ties of 2 or of a random k. */
    private static Gen<Tied> tied(boolean twoWay) {
        return Shapes.shapes(1, 3, 4).flatMap(s0 -> Gens.ints(0, s0.rank() - 1).flatMap(axis -> {
            Shape s = s0.with(axis, Math.max(2, s0.dim(axis)));
            Gen<Integer> k = twoWay ? Gen.constant(2) : Gens.ints(2, s.dim(axis));
            return Gen.zip(Gen.zip(Domains.distinctArray(s), k, Pair::new), Gens.seeds(), (xk, seed) ->
                    tie(xk.first(), axis, xk.second(), new Random(seed)));
        }));
    }

    private static Tied tie(NDArray base, int axis, int k, Random random) {
        double[] x = base.data().clone();
        List<int[]> positions = new ArrayList<>();
        for (int[] slice : NDArrays.slicesAlong(base.shape(), axis)) {
            int top = slice[0];
            for (int i : slice) {
                top = x[i] > x[top] ? i : top;
            }
            List<Integer> others = new ArrayList<>();
            for (int i : slice) {
                if (i != top) {
                    others.add(i);
                }
            }
            java.util.Collections.shuffle(others, random);
            int[] tiedHere = new int[k];
            tiedHere[0] = top;
            for (int t = 1; t < k; t++) {
                tiedHere[t] = others.get(t - 1);
                x[tiedHere[t]] = x[top];
            }
            positions.add(tiedHere);
        }
        return new Tied(NDArray.of(base.shape(), x), axis, k, positions);
    }

    private static GradCase gradCase(Tied t, long seed) {
        return GradCase.of("max(axis=" + t.axis() + ") with " + t.tie() + "-way ties " + t.x().shape(), seed,
                (tape, a) -> a[0].max(t.axis(), true), t.x());
    }

    @Test
    void aTwoWayTieSplitsEvenlyAsTheCentralDifferenceDoes() {
        Property.forAll("max, two-way ties: analytic gradient = central difference (1/2 each)",
                Gen.zip(tied(true), Gens.seeds(), MaxTiesTest::gradCase),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, GradientTable.STANDARD));
    }

    @Test
    void aTieOfKGivesEachTiedElementAKthAndTheySumToTheUpstreamGradient() {
        Property.forAll("max, k-way ties: each gets g/k, together g", Gen.zip(tied(false), Gens.seeds(), Pair::new), tk -> {
            Tied t = tk.first();
            Probe p = Probe.of(gradCase(t, tk.second()));
            double[] g = p.analytic()[0].data();
            double[] upstream = p.cotangent().data(); // one value per slice: max keeps the axis with size 1
            List<int[]> tiedPositions = t.tiedPositions();
            boolean[] tiedAnywhere = new boolean[g.length];
            for (int slice = 0; slice < tiedPositions.size(); slice++) {
                double sum = 0;
                for (int i : tiedPositions.get(slice)) {
                    tiedAnywhere[i] = true;
                    sum += g[i];
                    double share = upstream[slice] / t.tie();
                    if (Math.abs(g[i] - share) > 1e-15 * Math.abs(upstream[slice])) {
                        throw new AssertionError("slice " + slice + ": tied element " + i + " got " + g[i] + ", expected g/k = " + share
                                + "\n" + p.dump());
                    }
                }
                if (Math.abs(sum - upstream[slice]) > 1e-14 * Math.abs(upstream[slice])) {
                    throw new AssertionError("slice " + slice + ": tied gradients sum to " + sum + ", upstream is " + upstream[slice]
                            + "\n" + p.dump());
                }
            }
            for (int i = 0; i < g.length; i++) {
                if (!tiedAnywhere[i] && g[i] != 0.0) {
                    throw new AssertionError("element " + i + " is below the max but got gradient " + g[i] + "\n" + p.dump());
                }
            }
        });
    }

    @Test
    void zeroUpstreamAtTiesGivesExactlyZero() {
        Property.forAll("max at k-way ties: zero upstream gives zero gradients", Gen.zip(tied(false), Gens.seeds(), MaxTiesTest::gradCase),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c, GradientTable.STANDARD));
    }
}
