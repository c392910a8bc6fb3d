package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.arcgrad.autodiff.Attrs;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Values of the custom-loss composites against their textbook formulas, computed here by loops: a
 * gradient property cannot see a wrong scale or divisor that its own gradient shares (softplus's
 * 1/β, variance's n − 1).
 */
class CustomOpValuesTest {
    private static final double[][] X = {{-3, 0, 2, 0.5}, {1, 1, 1, 1}, {4, -2, 0, 7}};

    private static NDArray x() {
        double[] d = new double[12];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(X[i], 0, d, i * 4, 4);
        }
        return NDArray.of(Shape.of(3, 4), d);
    }

    private static double[] run(java.util.function.Function<Tensor, Tensor> f) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 3, 4);
        return Interpreter.run(Map.of(x, x()), f.apply(x))[0].data();
    }

    @Test
    void softplusWithBeta() {
        for (double beta : new double[] {0.5, 1, 4}) {
            double[] got = run(x -> Functional.softplus(x, beta));
            for (int i = 0; i < 12; i++) {
                double v = X[i / 4][i % 4];
                assertEquals(Math.log1p(Math.exp(beta * v)) / beta, got[i], 1e-12, "softplus(" + v + ", beta " + beta + ")");
            }
        }
        double[] sigmoid = run(x -> Functional.logSigmoid(x));
        assertEquals(-Math.log1p(Math.exp(3)), sigmoid[0], 1e-12);
    }

    @Test
    void momentsAndNormsAlongRows() {
        double[] unbiased = run(x -> Functional.variance(x, 1, true, false));
        double[] biased = run(x -> Functional.variance(x, 1, false, true));
        double[] std = run(x -> Functional.std(x, -1, true, false));
        double[] norm = run(x -> Functional.norm(x, 1, false));
        double[] min = run(x -> x.min(1, false));
        for (int r = 0; r < 3; r++) {
            double mean = 0;
            double lowest = Double.POSITIVE_INFINITY;
            double squares = 0;
            for (double v : X[r]) {
                mean += v / 4;
                lowest = Math.min(lowest, v);
                squares += v * v;
            }
            double ss = 0;
            for (double v : X[r]) {
                ss += (v - mean) * (v - mean);
            }
            assertEquals(ss / 3, unbiased[r], 1e-12, "unbiased variance of row " + r);
            assertEquals(ss / 4, biased[r], 1e-12, "biased variance of row " + r);
            assertEquals(Math.sqrt(ss / 3), std[r], 1e-12, "std of row " + r);
            assertEquals(Math.sqrt(squares), norm[r], 1e-12, "norm of row " + r);
            assertEquals(lowest, min[r], 0.0, "min of row " + r);
        }
        assertEquals(0.0, std[1], 0.0, "a constant row");
    }

    @Test
    void scalarOverloadsCompareAndClipAgainstTheConstant() {
        double[] clipped = run(x -> x.minimum(1.0));
        double[] raised = run(x -> x.maximum(0.5));
        double[] differs = run(x -> x.ne(1.0));
        for (int i = 0; i < 12; i++) {
            double v = X[i / 4][i % 4];
            assertEquals(Math.min(v, 1), clipped[i], 0.0);
            assertEquals(Math.max(v, 0.5), raised[i], 0.0);
            assertEquals(v != 1 ? 1.0 : 0.0, differs[i], 0.0);
        }
    }

    @Test
    void transposeOfAStackSwapsEachMatrix() {
        Tape tape = new Tape();
        Tensor t = tape.input("t", 2, 2, 3);
        NDArray v = NDArray.of(Shape.of(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        double[] got = Interpreter.run(Map.of(t, v), tape.record(Op.TRANSPOSE, Attrs.NONE, t))[0].data();
        assertEquals(java.util.List.of(0.0, 3.0, 1.0, 4.0, 2.0, 5.0, 6.0, 9.0, 7.0, 10.0, 8.0, 11.0),
                java.util.Arrays.stream(got).boxed().toList());
    }
}
