package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** cos, sin and acos: fp64 values, gradients by central differences, and acos's finite gradient at ±1. */
class TrigOpsTest {
    private final Random random = new Random(11);

    @Test
    void cosAndSinGradientsMatchCentralDifferences() {
        NDArray x = NDArray.uniform(Shape.of(3, 4), -4, 4, random);
        GradCheck.Report cos = GradCheck.of((tape, a) -> a[0].cos()).check(x);
        assertTrue(cos.passed(), cos.toString());
        GradCheck.Report sin = GradCheck.of((tape, a) -> a[0].sin()).check(x);
        assertTrue(sin.passed(), sin.toString());
    }

    @Test
    void acosGradientMatchesCentralDifferencesInsideTheInterval() {
        NDArray x = NDArray.uniform(Shape.of(3, 4), -0.999, 0.999, random);
        GradCheck.Report r = GradCheck.of((tape, a) -> a[0].acos()).check(x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void valuesAreTheJavaMathFunctions() {
        double[] xs = {-1, -0.5, 0, 0.3, 1};
        NDArray[] got = evaluate(xs, Tensor::acos, Tensor::cos, Tensor::sin);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.acos(xs[i]), got[0].data()[i], 0, "acos");
            assertEquals(Math.cos(xs[i]), got[1].data()[i], 0, "cos");
            assertEquals(Math.sin(xs[i]), got[2].data()[i], 0, "sin");
        }
    }

    /** The true derivative is infinite at ±1; the radicand clamp at 1e-12 makes it −1e6 there. */
    @Test
    void acosGradientIsFiniteAtTheEndsAndExactJustInside() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 4);
        Tensor g = tape.grad(x.acos().sum(), x)[0];
        double inside = 1 - 1e-6;
        NDArray got = Interpreter.run(Map.of(x, NDArray.of(Shape.of(4), -1, 1, inside, 0)), g)[0];
        assertEquals(-1e6, got.data()[0], 1e-3);
        assertEquals(-1e6, got.data()[1], 1e-3);
        assertEquals(-1 / Math.sqrt(1 - inside * inside), got.data()[2], 1e-6);
        assertEquals(-1, got.data()[3], 0);
    }

    @Test
    void acosIsNaNOutsideTheInterval() {
        NDArray[] got = evaluate(new double[] {1.5, -1.0000001}, Tensor::acos);
        assertTrue(Double.isNaN(got[0].data()[0]) && Double.isNaN(got[0].data()[1]), got[0].toString());
    }

    @SafeVarargs
    private static NDArray[] evaluate(double[] xs, java.util.function.UnaryOperator<Tensor>... fs) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", xs.length);
        Tensor[] outs = new Tensor[fs.length];
        for (int i = 0; i < fs.length; i++) {
            outs[i] = fs[i].apply(x);
        }
        return Interpreter.run(Map.of(x, NDArray.of(Shape.of(xs.length), xs.clone())), outs);
    }
}
