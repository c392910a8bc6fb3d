package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.arcgrad.arcface.heads.TargetColumn;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

class TargetColumnTest {
    /** Labels at the first and last column and in between: the target value lands there and nowhere else. */
    @Test
    void takesTheLabelColumnOnly() {
        Tape tape = new Tape();
        Tensor target = tape.input("t", 3, 4);
        Tensor other = tape.input("o", 3, 4);
        Tensor labels = tape.labels("y", 3);
        Tensor out = TargetColumn.select(labels, target, other);
        NDArray got = Interpreter.run(Map.of(target, NDArray.full(Shape.of(3, 4), 1), other, NDArray.zeros(Shape.of(3, 4)),
                labels, NDArray.of(Shape.of(3), 0, 3, 1)), out)[0];
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}, got.data(), 0);
    }
}
