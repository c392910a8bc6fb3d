package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * Checks a head, followed by the mean softmax cross-entropy, against a direct fp64 oracle of its
 * published formula: logits and loss to fp64 rounding; d loss / dx and d loss / dW against central
 * differences of the oracle's loss (so gradients are checked against the formula itself, margin
 * included, with no code shared); and GradCheck of the head's own graph.
 */
final class HeadAgreement {
    /** Logits and loss: both sides are fp64 evaluations of the same formula. */
    static final double VALUE_TOL = 1e-12;
    /** Gradients: central differences (step 1e-6) of a smooth fp64 function carry ~1e-9 relative error. */
    static final double GRAD_ATOL = 1e-7;
    static final double GRAD_RTOL = 1e-5;
    private static final double STEP = 1e-6;

    /** The published formula: logits [N, C] from x [N, D], W and labels, in plain loops. */
    @FunctionalInterface
    interface Oracle {
        double[][] logits(double[][] x, double[][] w, int[] labels);
    }

    private HeadAgreement() {
    }

    static void check(MarginHead head, Oracle oracle, double[][] x, double[][] w, int[] labels) {
        int n = x.length;
        Tape tape = new Tape();
        Tensor xt = tape.param("x", n, x[0].length);
        Tensor wt = tape.param("w", w.length, w[0].length);
        Tensor yt = tape.labels("y", n);
        Tensor logits = head.logits(xt, wt, yt);
        Tensor loss = Functional.crossEntropy(logits, yt);
        Tensor[] grads = tape.grad(loss, xt, wt);
        NDArray[] got = Interpreter.run(Map.of(xt, Direct.array(x), wt, Direct.array(w), yt, Direct.array(labels)),
                logits, loss, grads[0], grads[1]);

        double[][] expect = oracle.logits(x, w, labels);
        assertEquals(expect[0].length, logits.shape().dim(1), "class count");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < expect[i].length; j++) {
                assertClose(expect[i][j], got[0].get(i, j), VALUE_TOL, VALUE_TOL, "logits[" + i + "][" + j + "]");
            }
        }
        assertClose(Direct.crossEntropy(expect, labels), got[1].item(), VALUE_TOL, VALUE_TOL, "loss");
        assertGradient(got[2], x, () -> Direct.crossEntropy(oracle.logits(x, w, labels), labels), "grad_x");
        assertGradient(got[3], w, () -> Direct.crossEntropy(oracle.logits(x, w, labels), labels), "grad_w");

        GradCheck.Report report = GradCheck.of((t, a) -> {
            Tensor y = t.labels("y", n);
            return Functional.crossEntropy(head.logits(a[0], a[1], y), y);
        }).fixed("y", Direct.array(labels)).check(Direct.array(x), Direct.array(w));
        assertTrue(report.passed(), report.toString());
    }

    private static void assertGradient(NDArray got, double[][] p, java.util.function.DoubleSupplier loss, String what) {
        double[][] numeric = Direct.centralDifferences(p, loss, STEP);
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                assertClose(numeric[i][j], got.get(i, j), GRAD_ATOL, GRAD_RTOL, what + "[" + i + "][" + j + "]");
            }
        }
    }

    static void assertClose(double expected, double actual, double atol, double rtol, String what) {
        assertTrue(Double.isFinite(actual), what + " is " + actual);
        assertEquals(expected, actual, atol + rtol * Math.abs(expected), what);
    }
}
