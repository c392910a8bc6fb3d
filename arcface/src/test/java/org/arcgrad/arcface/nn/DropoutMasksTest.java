package org.arcgrad.arcface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Dropout masks: 0 or 1/(1 − p), about a fraction p of zeros, and a function of (seed, step, name) alone. */
class DropoutMasksTest {
    @Test
    void valuesAndRate() {
        float[] m = DropoutMasks.draw(3, 17, "drop1.mask", 0.3, 100_000);
        int zeros = 0;
        for (float v : m) {
            assertTrue(v == 0 || v == (float) (1 / 0.7), "value " + v);
            zeros += v == 0 ? 1 : 0;
        }
        assertEquals(0.3, zeros / 100_000.0, 0.01);
    }

    @Test
    void reproducibleFromSeedStepAndName() {
        assertArrayEquals(DropoutMasks.draw(3, 17, "drop1.mask", 0.5, 64), DropoutMasks.draw(3, 17, "drop1.mask", 0.5, 64));
        assertFalse(Arrays.equals(DropoutMasks.draw(3, 17, "drop1.mask", 0.5, 64), DropoutMasks.draw(3, 18, "drop1.mask", 0.5, 64)));
        assertFalse(Arrays.equals(DropoutMasks.draw(3, 17, "drop1.mask", 0.5, 64), DropoutMasks.draw(4, 17, "drop1.mask", 0.5, 64)));
        assertFalse(Arrays.equals(DropoutMasks.draw(3, 17, "drop1.mask", 0.5, 64), DropoutMasks.draw(3, 17, "drop2.mask", 0.5, 64)));
    }
}
