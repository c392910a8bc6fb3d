package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * The ArcFace-sized path, too large for one difference per element: features x [N, D] up to
 * 256 × 512 and class weights W [C, D] through normalize, linear, an optional additive angular
 * margin on the label column, a scale s and cross-entropy, checked by GradCheck's random-direction
 * vector–Jacobian products (the directional derivative along random directions through x and W
 * at once against ⟨gradient, direction⟩).
 */
class LargeTensorVjpTest {
    /** Input element count above which GradCheck switches to random directions; every case here is above it. */
    private static final int ELEMENTWISE_UP_TO = 1024;
    private static final int DIRECTIONS = 3;

    record Head(NDArray x, NDArray w, NDArray labels, double s, double margin, long seed) {
        GradCase gradCase() {
            String label = "crossEntropy(" + s + " · " + (margin > 0 ? "arcMargin(m=" + margin + ", " : "(")
                    + "linear(normalize(x " + x.shape() + "), normalize(W " + w.shape() + "))), labels)";
            return GradCase.of(label, seed, (t, a) -> {
                Tensor y = t.labels("labels", x.shape().dim(0));
                Tensor cos = Functional.linear(Functional.normalize(a[0]), Functional.normalize(a[1]));
                Tensor logits = cos;
                if (margin > 0) {
                    Tensor hot = Functional.oneHot(y, w.shape().dim(0));
                    logits = hot.mul(Functional.cosAdd(cos, margin)).add(hot.rsub(1).mul(cos));
                }
                return Functional.crossEntropy(logits.scale(s), y);
            }, x, w).withFixed("labels", labels);
        }

        @Override
        public String toString() {
            return gradCase().label() + "\n  x " + x + "\n  W " + w + "\n  labels " + labels + "\n  seed " + seed;
        }
    }

    /**
     * N up to 256, D up to 512 (growing with the size hint), C from 2 to 16; a fifth of the cases are
     * the full 256 × 512 whatever the size, so every run checks that shape several times.
     */
    static Gen<Head> heads() {
        Gen<int[]> grown = Gen.zip(Gens.intsSized(16, 256), Gens.intsSized(128, 512), (n, d) -> new int[] {n, d});
        Gen<int[]> nd = Gens.oneOf(grown, grown, grown, grown, Gen.constant(new int[] {256, 512}));
        Gen<double[]> sm = Gen.zip(Gens.elements(1.0, 16.0, 64.0), Gens.elements(0.0, 0.5, 0.35), (s, m) -> new double[] {s, m});
        return Gen.zip(Gen.zip(nd, Gens.ints(2, 16), Pair::new), Gen.zip(sm, Gens.seeds(), Pair::new), (shape, rest) -> {
            int n = shape.first()[0];
            int d = shape.first()[1];
            int c = shape.second();
            java.util.Random r = new java.util.Random(rest.second());
            NDArray x = NDArray.gaussian(Shape.of(n, d), r);
            NDArray w = NDArray.gaussian(Shape.of(c, d), r);
            double[] labels = new double[n];
            labels[0] = 0;
            labels[n - 1] = c - 1;
            for (int i = 1; i < n - 1; i++) {
                labels[i] = r.nextInt(c);
            }
            return new Head(x, w, NDArray.of(Shape.of(n), labels), rest.first()[0], rest.first()[1], rest.second());
        });
    }

    @Test
    void randomDirectionVectorJacobianProductsMatchOnArcFaceSizedInputs() {
        Property.forAll("normalize/linear/margin/cross-entropy up to 256x512: VJP = directional difference", heads(),
                h -> check(h, GradientTable.STANDARD));
    }

    static void check(Head h, GradientTable rules) {
        GradCase c = h.gradCase();
        GradCheck.Report r = c.gradCheck(rules).elementwiseUpTo(ELEMENTWISE_UP_TO, DIRECTIONS).check(h.x(), h.w());
        if (!r.method().contains("random-direction")) {
            throw new AssertionError("expected the random-direction check, GradCheck used " + r.method());
        }
        if (!r.passed()) {
            throw new AssertionError(r + "\nforward tape:\n" + BuiltCase.dump(c));
        }
    }
}
