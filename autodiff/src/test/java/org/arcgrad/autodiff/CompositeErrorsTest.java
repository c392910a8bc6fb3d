package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A shape error inside a composite names the composite the user called, its arguments and the user's line. */
class CompositeErrorsTest {
    private static String message(Runnable call) {
        return assertThrows(ShapeException.class, call::run).getMessage();
    }

    private static void assertStarts(String prefix, String message) {
        assertTrue(message.startsWith(prefix), message);
        assertTrue(message.contains("(at org.arcgrad.autodiff.CompositeErrorsTest."), "names the caller's line: " + message);
    }

    @Test
    void gatherWithTooFewLabels() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 10);
        Tensor y = tape.labels("y", 3);
        String m = message(() -> Functional.gather(x, y));
        assertStarts("gather: shapes do not broadcast (in its mul of [4, 10] and [3, 10]); argument shapes [4, 10] and [3]", m);
    }

    @Test
    void linearWithTheWrongWidth() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 5);
        Tensor w = tape.param("w", 3, 6);
        assertStarts("linear: inner dimensions differ (5 vs 6) (in its matmul of [4, 5] and [6, 3]); argument shapes [4, 5] and [3, 6]",
                message(() -> Functional.linear(x, w)));
        Tensor b = tape.param("b", 4);
        Tensor w5 = tape.param("w5", 3, 5);
        assertStarts("linear: shapes do not broadcast (in its add of [4, 3] and [4]); argument shapes [4, 5] and [3, 5] and [4]",
                message(() -> Functional.linear(x, w5, b)));
    }

    @Test
    void theOutermostCompositeIsNamed() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4);
        // std calls variance, which calls mean: the user called std
        assertStarts("std: axis 1 is out of range for rank 1 (in its sum of [4]); argument shapes [4]",
                message(() -> Functional.std(x, 1, true, false)));
        assertStarts("std: the unbiased variance of one value along axis 0 is 0/0 (in its variance of [1]); argument shapes [1]",
                message(() -> Functional.std(tape.input("one", 1), 0, true, false)));
    }

    @Test
    void primitivesStillNameThemselves() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 10);
        assertStarts("mul: shapes do not broadcast; operand shapes [4, 10] and [3]", message(() -> x.mul(tape.input("z", 3))));
        // after a failed composite, nothing of it is left in scope
        assertThrows(ShapeException.class, () -> Functional.gather(x, tape.labels("y", 3)));
        assertStarts("add: shapes do not broadcast; operand shapes [4, 10] and [3]", message(() -> x.add(tape.input("v", 3))));
    }

    @Test
    void integerLabelsInArithmeticPointToToFloat() {
        Tape tape = new Tape();
        Tensor y = tape.labels("y", 4);
        String m = message(() -> y.add(tape.input("x", 4)));
        assertTrue(m.contains("expects float operands") && m.contains("toFloat()"), m);
        y.toFloat().add(tape.input("x2", 4)); // the fix works
    }

    @Test
    void softplusNeedsAPositiveFiniteBeta() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 3);
        for (double beta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertStarts("softplus: beta must be positive and finite, got " + beta, message(() -> Functional.softplus(x, beta)));
        }
        Functional.softplus(x, Double.MIN_VALUE); // the smallest positive beta is still one
    }
}
