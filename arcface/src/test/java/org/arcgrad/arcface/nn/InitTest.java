package org.arcgrad.arcface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Initializers: torch's bounds and standard deviations, and values fixed by (seed, name) alone. */
class InitTest {
    private static final int[] SHAPE = {256, 784};

    @Test
    void xavierUniformStaysWithinItsBoundAndFillsIt() {
        double bound = Math.sqrt(6.0 / (784 + 256));
        float[] v = ParameterSpec.trained("w", Init.xavierUniform(1), SHAPE).initialValue(1);
        assertTrue(max(v) <= bound && max(v) > 0.99 * bound, "max " + max(v) + " vs bound " + bound);
        assertEquals(bound / Math.sqrt(3), std(v), 0.01 * bound);
    }

    @Test
    void kaimingUniformWithTheReluGain() {
        double bound = Init.RELU_GAIN * Math.sqrt(3.0 / 784);
        float[] v = ParameterSpec.trained("w", Init.kaimingUniform(Init.RELU_GAIN), SHAPE).initialValue(1);
        assertTrue(max(v) <= bound && max(v) > 0.99 * bound);
        assertEquals(Math.sqrt(2.0 / 784), std(v), 0.01 * Math.sqrt(2.0 / 784));
    }

    @Test
    void normalInitializersHaveTorchsStandardDeviations() {
        assertEquals(Math.sqrt(2.0 / (784 + 256)), std(ParameterSpec.trained("w", Init.xavierNormal(1), SHAPE).initialValue(2)), 2e-4);
        assertEquals(Math.sqrt(2.0) / Math.sqrt(784), std(ParameterSpec.trained("w", Init.kaimingNormal(Init.RELU_GAIN), SHAPE).initialValue(2)), 5e-4);
    }

    @Test
    void valuesDependOnTheSeedAndTheNameOnly() {
        ParameterSpec a = ParameterSpec.trained("fc1.weight", Init.xavierUniform(1), 4, 5);
        assertArrayEquals(a.initialValue(7), ParameterSpec.trained("fc1.weight", Init.xavierUniform(1), 4, 5).initialValue(7));
        assertFalse(Arrays.equals(a.initialValue(7), a.initialValue(8)), "another seed, other values");
        assertFalse(Arrays.equals(a.initialValue(7), ParameterSpec.trained("fc2.weight", Init.xavierUniform(1), 4, 5).initialValue(7)),
                "another parameter, another stream");
    }

    private static double max(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float f : v) {
            s += f;
            s2 += (double) f * f;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }
}
