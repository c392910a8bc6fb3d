package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.arcgrad.arcface.heads.AngleMultiples;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** The acos-free building blocks against acos and cos evaluated directly, over a grid of cosines. */
class AngleMultiplesTest {
    private static final int POINTS = 401;

    /** c from −1 to 1, ends included. */
    private static double[] grid() {
        double[] c = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            c[i] = Math.max(-1, Math.min(1, -1 + 2.0 * i / (POINTS - 1)));
        }
        return c;
    }

    @Test
    void chebyshevPolynomialsAreCosAndSinOfTheMultipleAngle() {
        double[] c = grid();
        for (int m = 0; m <= 9; m++) {
            int degree = m;
            NDArray t = evaluate(c, x -> AngleMultiples.cosMultiple(x, degree));
            NDArray u = evaluate(c, x -> AngleMultiples.chebyshevU(x, degree));
            for (int i = 0; i < POINTS; i++) {
                double theta = Math.acos(c[i]);
                assertEquals(Math.cos(m * theta), t.data()[i], 1e-12, "T_" + m + "(" + c[i] + ")");
                double sinTheta = Math.sin(theta);
                if (sinTheta > 1e-3) {
                    assertEquals(Math.sin((m + 1) * theta) / sinTheta, u.data()[i], 1e-9, "U_" + m + "(" + c[i] + ")");
                }
            }
        }
    }

    @Test
    void cosMultipleAddIsCosOfMThetaPlusA() {
        double[] c = grid();
        for (int m = 1; m <= 6; m++) {
            int degree = m;
            for (double a : new double[] {0, 0.3, 0.5, 1.2}) {
                NDArray got = evaluate(c, x -> AngleMultiples.cosMultipleAdd(x, degree, a));
                for (int i = 1; i < POINTS - 1; i++) {
                    assertEquals(Math.cos(m * Math.acos(c[i]) + a), got.data()[i], 1e-12, "m=" + m + " a=" + a + " c=" + c[i]);
                }
                // at c = ±1 the sine is the clamped 1e-6, not 0: off by at most 1e-6 · |U| · sin a ≤ m·1e-6
                assertEquals(Math.cos(a), got.data()[POINTS - 1], m * 1e-6, "c = 1");
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInsideTheInterval() {
        NDArray c = NDArray.of(Shape.of(7), -0.97, -0.6, -0.2, 0.05, 0.4, 0.8, 0.99);
        for (int m = 1; m <= 5; m++) {
            int degree = m;
            GradCheck.Report r = GradCheck.of((tape, x) -> AngleMultiples.cosMultipleAdd(x[0], degree, 0.35)).check(c);
            assertTrue(r.passed(), "m=" + m + ": " + r);
        }
    }

    private static NDArray evaluate(double[] c, java.util.function.UnaryOperator<Tensor> f) {
        Tape tape = new Tape();
        Tensor x = tape.input("c", c.length);
        return Interpreter.run(Map.of(x, NDArray.of(Shape.of(c.length), c.clone())), f.apply(x))[0];
    }
}
