package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** relu's values and gradient at the edges: 0 at 0 (torch), NaN through (torch.relu(nan) is nan). */
class ReluTest {
    @Test
    void valuesAndGradientsAtTheEdges() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 5);
        Tensor y = Functional.relu(x);
        Tensor g = tape.grad(y.sum(), x)[0];
        NDArray[] r = Interpreter.run(Map.of(x, NDArray.of(Shape.of(5), -2, 0, 3, Double.NaN, -0.0)), y, g);
        assertArrayEquals(new double[] {0, 0, 3}, java.util.Arrays.copyOf(r[0].data(), 3));
        assertTrue(Double.isNaN(r[0].data()[3]), "NaN passes through relu, as in torch");
        assertArrayEquals(new double[] {0, 0, 1, 1, 0}, r[1].data(), "gradient 0 at and below 0, 1 above (and at NaN)");
    }
}
