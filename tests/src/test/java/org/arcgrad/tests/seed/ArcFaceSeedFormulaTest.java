package org.arcgrad.tests.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.oracle.Direct;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ArcFace head built from DSL ops, against the seed's formula evaluated directly in fp64
 * ({@link SeedFormula}). Logits and loss must agree to fp64 rounding; gradients are compared with
 * central differences of the direct formula (step 1e-6), which shares no code with the tape.
 */
class ArcFaceSeedFormulaTest {
    /** Logits and loss: both sides are fp64 evaluations of the same formula. */
    private static final double VALUE_TOL = 1e-12;
    /** Gradients: central differences of a smooth fp64 function carry ~1e-9 relative error. */
    private static final double GRAD_ATOL = 1e-7;
    private static final double GRAD_RTOL = 1e-5;

    enum Inputs { RANDOM, NEAR_TH, NEAR_ONE, NEAR_ZERO }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(30.0, 0.5, false, Inputs.RANDOM),
                Arguments.of(30.0, 0.5, true, Inputs.RANDOM),
                Arguments.of(64.0, 0.2, false, Inputs.RANDOM),
                Arguments.of(30.0, 0.5, false, Inputs.NEAR_TH),
                Arguments.of(30.0, 1.0, false, Inputs.NEAR_TH),
                Arguments.of(30.0, 0.5, false, Inputs.NEAR_ONE),
                Arguments.of(30.0, 0.5, true, Inputs.NEAR_ZERO));
    }

    @ParameterizedTest(name = "s={0} m={1} easy={2} {3}")
    @MethodSource("cases")
    void headMatchesSeedFormula(double s, double m, boolean easy, Inputs kind) {
        int n = 6;
        int d = 5;
        int c = 7;
        Random random = new Random(31 * kind.ordinal() + (easy ? 1 : 0) + (long) (100 * m));
        double[][] w = Direct.gaussian(c, d, random);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i == 0 ? 0 : (i == 1 ? c - 1 : random.nextInt(c));
        }
        SeedFormula seed = new SeedFormula(s, m, easy);
        double[][] x = inputs(kind, w, labels, seed, random);

        Tape tape = new Tape();
        Tensor xt = tape.param("x", n, d);
        Tensor wt = tape.param("w", c, d);
        Tensor yt = tape.labels("y", n);
        Tensor logits = new ArcFace(s, m, easy).logits(xt, wt, yt);
        Tensor loss = Functional.crossEntropy(logits, yt);
        Tensor[] grads = tape.grad(loss, xt, wt);
        NDArray[] got = Interpreter.run(Map.of(xt, Direct.array(x), wt, Direct.array(w), yt, Direct.array(labels)),
                logits, loss, grads[0], grads[1]);

        double[][] expectLogits = seed.logits(x, w, labels);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                assertClose(expectLogits[i][j], got[0].get(i, j), VALUE_TOL, VALUE_TOL, "logits[" + i + "][" + j + "]");
            }
        }
        assertClose(seed.loss(x, w, labels), got[1].item(), VALUE_TOL, VALUE_TOL, "loss");
        assertGradient(got[2], x, () -> seed.loss(x, w, labels), "grad_x");
        assertGradient(got[3], w, () -> seed.loss(x, w, labels), "grad_w");
    }

    /** Rows of x whose target cosine sits where the case wants it, built by rotating W's rows. */
    private static double[][] inputs(Inputs kind, double[][] w, int[] labels, SeedFormula seed, Random random) {
        double[][] x = Direct.gaussian(labels.length, w[0].length, random);
        double th = Math.cos(Math.PI - seed.m);
        for (int i = 0; i < labels.length; i++) {
            double target = switch (kind) {
                case RANDOM -> Double.NaN;
                // on both sides of the th switch, 1e-3 away so the central difference stays on one side
                case NEAR_TH -> th + (i % 2 == 0 ? 1e-3 : -1e-3);
                case NEAR_ONE -> i % 2 == 0 ? 1 - 1e-4 : 1 - 1e-3;
                case NEAR_ZERO -> i % 2 == 0 ? 1e-3 : -1e-3;
            };
            if (!Double.isNaN(target)) {
                x[i] = Direct.withCosine(w[labels[i]], x[i], target, 1 + i);
            }
        }
        return x;
    }

    private static void assertGradient(NDArray got, double[][] p, java.util.function.DoubleSupplier loss, String what) {
        double[][] numeric = Direct.centralDifferences(p, loss, 1e-6);
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                assertClose(numeric[i][j], got.get(i, j), GRAD_ATOL, GRAD_RTOL, what + "[" + i + "][" + j + "]");
            }
        }
    }

    private static void assertClose(double expected, double actual, double atol, double rtol, String what) {
        assertTrue(Double.isFinite(actual), what + " is " + actual);
        assertEquals(expected, actual, atol + rtol * Math.abs(expected), what);
    }

}
