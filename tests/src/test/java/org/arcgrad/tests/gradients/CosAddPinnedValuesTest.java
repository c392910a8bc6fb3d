package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * cosAdd's value and gradient pinned where the README states them, near and at ±1: the sine is
 * sqrt(clamp(1 − c², eps, 1)), so the value is c·cos m − that·sin m; the gradient is the exact
 * derivative cos m + c·sin m / sqrt(1 − c²) where 1 − c² ≥ eps, and cos m closer to ±1. Pinned
 * for the default eps (1e-12) and a chosen one (1e-6) at c = ±1, ±(1 − 1e-13), ±(1 − 1e-9) and
 * ±0.9999999, in fp64 on the interpreter (to 1e-12 relative), and at ±1 and ±0.9999999f on the
 * device under both plans (to fp32 rounding). A gradient property cannot see a wrong eps (the
 * value and its gradient stay consistent); these numbers can.
 */
class CosAddPinnedValuesTest {
    private static final double M = 0.5;
    private static final double[] NEAR_ONE = {1, 1 - 1e-13, 1 - 1e-9, 0.9999999};

    /** The README's value of cosAdd(c, m) with radicand clamp eps. */
    static double value(double c, double m, double eps) {
        return c * Math.cos(m) - Math.sqrt(Math.min(Math.max(1 - c * c, eps), 1)) * Math.sin(m);
    }

    /** The README's gradient of cosAdd(c, m) with radicand clamp eps. */
    static double gradient(double c, double m, double eps) {
        double r = 1 - c * c;
        return r >= eps ? Math.cos(m) + c * Math.sin(m) / Math.sqrt(r) : Math.cos(m);
    }

    private static double[] points() {
        double[] c = new double[2 * NEAR_ONE.length];
        for (int i = 0; i < NEAR_ONE.length; i++) {
            c[2 * i] = NEAR_ONE[i];
            c[2 * i + 1] = -NEAR_ONE[i];
        }
        return c;
    }

    /** [values, gradients] of cosAdd at {@code c} on the interpreter; eps NaN means the default overload. */
    private static NDArray[] interpreter(double[] c, double eps) {
        Tape tape = new Tape();
        Tensor x = tape.param("c", c.length);
        Tensor y = Double.isNaN(eps) ? Functional.cosAdd(x, M) : Functional.cosAdd(x, M, eps);
        Tensor g = tape.grad(y.sum(), x)[0];
        return Interpreter.run(Map.of(x, NDArray.of(Shape.of(c.length), c)), y, g);
    }

    @Test
    void theDefaultEpsGivesTheStatedValuesAndGradients() {
        assertMatchesFormulas(Double.NaN, Functional.COS_ADD_RADICAND_EPS);
        NDArray[] r = interpreter(new double[] {0.9999999, 1}, Double.NaN);
        // anchors, independent of the formulas above: the exact derivative at 0.9999999, cos m at 1
        assertEquals(1072.906, r[1].data()[0], 0.001);
        assertEquals(Math.cos(M), r[1].data()[1], 1e-15);
        assertEquals(Math.cos(M) - 1e-6 * Math.sin(M), r[0].data()[1], 1e-15);
    }

    @Test
    void aChosenEpsGivesTheStatedValuesAndGradients() {
        assertMatchesFormulas(1e-6, 1e-6);
        NDArray[] r = interpreter(new double[] {0.9999999}, 1e-6);
        assertEquals(Math.cos(M), r[1].data()[0], 1e-15, "inside the chosen band the gradient is cos m");
    }

    private static void assertMatchesFormulas(double given, double eps) {
        double[] c = points();
        NDArray[] r = interpreter(c, given);
        for (int i = 0; i < c.length; i++) {
            double v = value(c[i], M, eps);
            double g = gradient(c[i], M, eps);
            assertEquals(v, r[0].data()[i], 1e-12 * Math.abs(v), "value at c = " + c[i] + ", eps " + eps);
            assertEquals(g, r[1].data()[i], 1e-12 * Math.abs(g), "gradient at c = " + c[i] + ", eps " + eps);
        }
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void theDeviceGivesTheStatedValuesAndGradientsAtPlusMinusOne(PlanChoice plan) {
        float near = 0.9999999f; // 1 − 1.19e-7 in fp32: 1 − c² ≈ 2.4e-7, outside the default band
        double[] c = {1, -1, near, -near};
        Tape tape = new Tape();
        Tensor x = tape.param("c", c.length);
        Tensor y = Functional.cosAdd(x, M);
        Tensor g = tape.grad(y.sum(), x)[0];
        try (Executable e = Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), y, g)) {
            NDArray[] r = e.run(Map.of(x, NDArray.of(Shape.of(c.length), c)));
            for (int i = 0; i < c.length; i++) {
                double v = value(c[i], M, Functional.COS_ADD_RADICAND_EPS);
                double dv = gradient(c[i], M, Functional.COS_ADD_RADICAND_EPS);
                // fp32: 1 − c² near 2.4e-7 carries the rounding of c² (a few ulps of 1), so the
                // derivative there is good to about 1e-3 relative; at ±1 everything is exact but the rounding
                double tolerance = Math.abs(c[i]) == 1 ? 1e-6 : 2e-3;
                assertEquals(v, r[0].data()[i], 1e-6, "value at c = " + c[i]);
                assertEquals(dv, r[1].data()[i], tolerance * Math.abs(dv), "gradient at c = " + c[i]);
            }
        }
    }
}
