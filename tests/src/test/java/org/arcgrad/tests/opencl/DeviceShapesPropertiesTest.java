package org.arcgrad.tests.opencl;

import static org.arcgrad.autodiff.Functional.crossEntropy;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.logSumExp;

import java.util.Random;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.gradients.GradCase;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenCL backend against the interpreter on the shapes that exercise the kernel templates'
 * edges: matrix products of every transpose variant with sizes from 1 to past the tile sizes (not
 * multiples of them), the ArcFace head on such sizes, and long rows that take the work-group
 * reduction, and Gram and distance matrices (one buffer both operands of a product). Same
 * tolerance as {@link DeviceAgreement}; under both kernel plans.
 */
class DeviceShapesPropertiesTest {
    private record Sizes(int n, int d, int c, int variant, long seed) {
    }

    private static final Gen<Sizes> SIZES = Gen.zip(
            Gen.zip(Gens.intsSized(1, 70), Gens.intsSized(1, 140), (n, d) -> new int[] {n, d}),
            Gen.zip(Gens.intsSized(1, 160), Gen.zip(Gens.ints(0, 5), Gens.seeds(), (v, s) -> new long[] {v, s}), (c, vs) -> new long[] {c, vs[0], vs[1]}),
            (nd, cvs) -> new Sizes(nd[0], nd[1], (int) cvs[0], (int) cvs[1], cvs[2]));

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnProductsHeadsAndLongRows(PlanChoice plan) {
        // sixty tries a plan: each compiles a head's kernels (about 1.5 s a try on PoCL); runs add up
        Property.named("OpenCL (" + plan + " plan) = interpreter on tile-edge shapes").tries(60)
                .forAll(SIZES, s -> DeviceAgreement.assertDeviceMatchesInterpreter(caseOf(s), plan));
    }

    private static GradCase caseOf(Sizes s) {
        Random r = new Random(s.seed());
        int n = s.n();
        int d = s.d();
        int c = s.c();
        return switch (s.variant()) {
            case 0 -> GradCase.of("a·b " + n + "x" + d + "·" + d + "x" + c, s.seed(), (t, a) -> a[0].matmul(a[1]),
                    uniform(r, n, d), uniform(r, d, c));
            case 1 -> GradCase.of("aᵀ·b then bᵀ·a", s.seed(), (t, a) -> a[0].transpose().matmul(a[1]).transpose().matmul(a[0].transpose()),
                    uniform(r, d, n), uniform(r, d, c));
            case 2 -> GradCase.of("linear + bias + cross-entropy", s.seed(),
                    (t, a) -> crossEntropy(linear(a[0], a[1], a[2]), t.labels("y", n)),
                    uniform(r, n, d), uniform(r, c, d), uniform(r, c)).withFixed("y", labels(r, n, c));
            // D ≥ 2: with one feature every cosine is exactly ±1, where the margin's derivative is clamped to
            // sin m / sqrt(1e-12) ≈ 5e5, and grad W through the normalisation is a cancellation of terms that
            // large: the device's fp32 residue (a few ulps of them, 1e-5 or so) is right for that conditioning,
            // but the rounding-noise model moves the cosines off ±1, where the terms are far smaller, and gives
            // no slack for it (seed -5774765062188053174 found this; stop 17 saw it too). CosAddEdgesTest and
            // CosAddPinnedValuesTest pin the margin at |cos| = 1 itself.
            case 3 -> GradCase.of("ArcFace + cross-entropy", s.seed(),
                    (t, a) -> {
                        Tensor y = t.labels("y", n);
                        return crossEntropy(new ArcFace().logits(a[0], a[1], y), y);
                    },
                    uniform(r, n, Math.max(2, d)), uniform(r, c, Math.max(2, d))).withFixed("y", labels(r, n, c));
            case 4 -> GradCase.of("x·xᵀ, xᵀ·x and squared distances of x " + n + "x" + d, s.seed(), (t, a) -> {
                        Tensor x = a[0];
                        Tensor sq = x.mul(x).sum(1, true);
                        Tensor gram = x.matmul(x.transpose());
                        return sq.add(sq.transpose()).sub(gram.scale(2)).add(gram).sum(1, false).add(x.transpose().matmul(x).max(0, false).sum());
                    }, uniform(r, n, d));
            default -> GradCase.of("long rows: logsumexp over " + (200 + 9 * c) + " columns", s.seed(),
                    (t, a) -> logSumExp(a[0], 1, false).add(a[0].sum(0, false).mean()),
                    uniform(r, 1 + n % 8, 200 + 9 * c));
        };
    }

    private static NDArray uniform(Random r, int... dims) {
        return NDArray.uniform(Shape.of(dims), -2, 2, r);
    }

    private static NDArray labels(Random r, int n, int c) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i == 0 ? c - 1 : r.nextInt(c);
        }
        return NDArray.of(Shape.of(n), y);
    }
}
