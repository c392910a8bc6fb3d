package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TapeTest {
    @Test
    void shapeMismatchNamesOpShapesAndTheCallersLine() {
        Tape tape = new Tape();
        Tensor a = tape.input("a", 4, 3);
        Tensor b = tape.input("b", 5, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> a.add(b));
        assertTrue(e.getMessage().startsWith("add: shapes do not broadcast; operand shapes [4, 3] and [5, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("TapeTest.lambda$shapeMismatchNamesOpShapesAndTheCallersLine"), e.getMessage());
        assertTrue(e.getMessage().contains("TapeTest.java:"), e.getMessage());
    }

    @Test
    void matmulInnerMismatchIsRejectedAtTheCall() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> x.matmul(tape.input("w", 2, 3)));
        assertTrue(e.getMessage().startsWith("matmul: inner dimensions differ (3 vs 2); operand shapes [2, 3] and [2, 3]"), e.getMessage());
    }

    @Test
    void labelsAreOnlyAcceptedByOneHot() {
        Tape tape = new Tape();
        Tensor y = tape.labels("y", 3);
        ShapeException e = assertThrows(ShapeException.class, () -> y.exp());
        assertTrue(e.getMessage().contains("expects float operands"), e.getMessage());
        assertEquals(Shape.of(3, 5), Functional.oneHot(y, 5).shape());
    }

    @Test
    void dumpHasOneLinePerNodeWithIdOpShapeAndInputs() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 3);
        Tensor w = tape.param("w", 4, 3);
        Functional.linear(x, w).sum(1, false);
        String[] lines = tape.dump().split("\n");
        assertArrayEquals(new String[] {
            "%0 = input [2, 3] \"x\"",
            "%1 = param [4, 3] \"w\"",
            "%2 = transpose [3, 4] (%1)",
            "%3 = matmul [2, 4] (%0, %2)",
            "%4 = sum [2, 1] (%3) axis 1",
            "%5 = reshape [2] (%4) to [2]",
        }, lines);
    }

    @Test
    void secondDerivativeIsAClearErrorNotAWrongAnswer() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 3);
        Tensor g = tape.grad(x.exp().sum(), x)[0];
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> tape.grad(g.sum(), x));
        assertTrue(e.getMessage().contains("second derivatives are not supported"), e.getMessage());
    }

    @Test
    void unusedParameterGetsZeroGradient() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2);
        Tensor unused = tape.param("u", 3);
        Tensor[] g = tape.grad(x.square().sum(), x, unused);
        NDArray[] v = Interpreter.run(Map.of(x, NDArray.of(Shape.of(2), 1.5, -2)), g);
        assertArrayEquals(new double[] {3, -4}, v[0].data(), 0);
        assertArrayEquals(new double[] {0, 0, 0}, v[1].data(), 0);
    }

    @Test
    void lossMustBeScalar() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.grad(x.exp(), x));
        assertTrue(e.getMessage().contains("the loss must be a scalar"), e.getMessage());
    }

    @Test
    void broadcastGradientIsSummedBackToTheOperandShape() {
        Tape tape = new Tape();
        Tensor a = tape.param("a", 2, 3);
        Tensor b = tape.param("b", 3);
        Tensor[] g = tape.grad(a.mul(b).sum(), a, b);
        NDArray av = NDArray.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        NDArray bv = NDArray.of(Shape.of(3), 10, 20, 30);
        NDArray[] v = Interpreter.run(Map.of(a, av, b, bv), g);
        assertArrayEquals(new double[] {10, 20, 30, 10, 20, 30}, v[0].data(), 0);
        assertArrayEquals(new double[] {5, 7, 9}, v[1].data(), 0);
        assertEquals(Shape.of(3), v[1].shape());
    }

    @Test
    void oneHotRejectsOutOfRangeLabelsNamingTheNode() {
        Tape tape = new Tape();
        Tensor y = tape.labels("y", 2);
        Tensor h = Functional.oneHot(y, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Interpreter.run(Map.of(y, NDArray.of(Shape.of(2), 0, 3)), h));
        assertTrue(e.getMessage().contains("label 3.0 at index 1 is not an integer in [0, 3)"), e.getMessage());
    }
}
