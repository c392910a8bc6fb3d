package org.arcgrad.tests.gradients;

import java.util.List;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * Every margin head + mean cross-entropy under the core's gradient properties: random heads
 * (random valid s, margins, easy_margin, K, SphereFace's m and iteration), random shapes from 1
 * up (D from 2: at D = 1 every cosine is exactly ±1, where acos, in the combined margin with a
 * non-integer m1, has an infinite slope, so central differences measure the rounding of
 * x / ‖x‖ there, not the gradient, which is 0: seed 5861042998790246118 found it, analytic −4e-9
 * against "numeric" −0.036), random embeddings and class weights, labels with 0 and C − 1 mixed in. Analytic gradients
 * equal central differences (a step straddling a head's switch, th or SphereFace's k, is
 * discarded, as for random expressions), and a zero upstream gradient gives exactly zero.
 */
class HeadGradientPropertiesTest {
    private record HeadCase(String name, MarginHead head, int rowsPerClass) {
    }

    private static final Gen<HeadCase> HEADS = Gens.oneOf(List.of(
            Gen.zip(Gens.doubles(1, 64), Gen.zip(Gens.doubles(0, 1.5), Gens.booleans(0.3), (m, e) -> new Object[] {m, e}),
                    (s, me) -> new HeadCase("ArcFace s=" + s + " m=" + me[0] + " easy=" + me[1],
                            new ArcFace(s, (Double) me[0], (Boolean) me[1]), 1)),
            Gen.zip(Gens.doubles(1, 64), Gens.doubles(0, 0.9), (s, m) -> new HeadCase("CosFace s=" + s + " m=" + m, new CosFace(s, m), 1)),
            Gen.zip(Gens.ints(1, 5), Gens.ints(0, 5000), (m, it) -> new HeadCase("SphereFace m=" + m + " iter=" + it,
                    new SphereFace(m, it), 1)),
            Gen.zip(Gens.elements(1.0, 2.0, 0.9), Gens.doubles(0, 0.5), (m1, m2) -> new HeadCase("Combined m1=" + m1 + " m2=" + m2,
                    new CombinedMargin(64, m1, m2, 0.2), 1)),
            Gen.zip(Gens.ints(1, 3), Gens.booleans(0.3), (k, e) -> new HeadCase("SubCenter K=" + k + " easy=" + e,
                    new SubCenterArcFace(30, 0.5, e, k), k))));

    private static final Gen<GradCase> CASES = HEADS.flatMap(h -> Gen.zip(Gens.intsSized(1, 6), Gens.intsSized(2, 6),
            (n, d) -> new int[] {n, d}).flatMap(nd -> Gens.intsSized(1, 6).flatMap(c -> {
                int n = nd[0];
                int d = nd[1];
                Gen<NDArray> x = Gens.arrays(Shape.of(n, d), Gens.doubles(-2, 2));
                Gen<NDArray> w = Gens.arrays(Shape.of(c * h.rowsPerClass(), d), Gens.doubles(-2, 2));
                Gen<NDArray> y = Gens.labels(Shape.of(n), c, 0.4);
                return Gen.zip(Gen.zip(x, w, (xv, wv) -> new NDArray[] {xv, wv}), Gen.zip(y, Gens.seeds(), (yv, s) -> new Object[] {yv, s}),
                        (xw, ys) -> GradCase.of(h.name() + " N=" + n + " D=" + d + " C=" + c, (Long) ys[1], (t, a) -> {
                            Tensor labels = t.labels("y", n);
                            return Functional.crossEntropy(h.head().logits(a[0], a[1], labels), labels);
                        }, xw[0], xw[1]).withFixed("y", (NDArray) ys[0]));
            })));

    @Test
    void headGradientsEqualCentralDifferences() {
        Property.forAll("margin heads: analytic gradient = central difference", CASES,
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, GradientTable.STANDARD));
    }

    @Test
    void headZeroUpstreamGivesExactlyZero() {
        Property.forAll("margin heads: zero upstream gives zero gradients", CASES,
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c, GradientTable.STANDARD));
    }
}
