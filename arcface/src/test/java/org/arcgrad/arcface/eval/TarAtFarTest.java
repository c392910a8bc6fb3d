package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TarAtFarTest {

    @Test
    void allowsFloorOfFarTimesNegativesFalseAccepts() {
        double[] negatives = new double[3000];
        for (int i = 0; i < negatives.length; i++) {
            negatives[i] = i / 3000.0; // the largest: 2999/3000, 2998/3000, 2997/3000, then 2996/3000
        }
        double[] positives = {0.99900, 0.99870, 0.99866, 0.5};
        TarAtFar t = TarAtFar.of(positives, negatives, 1e-3); // 3 false accepts allowed
        assertEquals(2996 / 3000.0, t.threshold());
        assertEquals(3 / 3000.0, t.far());
        assertEquals(0.5, t.tar()); // 0.99900 and 0.99870 are above 0.998667; 0.99866 is not
    }

    @Test
    void tiesAtTheThresholdAreRejected() {
        double[] negatives = {0.9, 0.9, 0.1, 0.2};
        TarAtFar t = TarAtFar.of(new double[] {0.95, 0.9}, negatives, 0.25); // 1 false accept allowed
        assertEquals(0.9, t.threshold());
        assertEquals(0.0, t.far());
        assertEquals(0.5, t.tar());
    }
}
