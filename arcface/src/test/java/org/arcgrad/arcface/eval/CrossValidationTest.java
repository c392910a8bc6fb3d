package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    @Test
    void eachFoldIsThresholdedOnTheOthers() {
        // Fold 0: same 0.9, different 0.1. Fold 1: same 0.8, different 0.3.
        double[] scores = {0.9, 0.1, 0.8, 0.3};
        boolean[] same = {true, false, true, false};
        CrossValidation cv = CrossValidation.of(scores, same, 2);
        assertArrayEquals(new double[] {0.55, 0.5}, cv.foldThresholds(), 1e-15); // fold 0 from fold 1's gap, and back
        assertArrayEquals(new double[] {1, 1}, cv.foldAccuracies());
        assertEquals(0.525, cv.meanThreshold(), 1e-15);
        assertEquals(0.0, cv.stdAccuracy());
    }

    @Test
    void stdIsThePopulationStdAsInInsightface() {
        // Fold 1 is inverted: fold 0's threshold (from fold 1) calls both of its pairs same-class
        // (1/2 right), fold 1's threshold (0.5, from fold 0) gets both of its pairs wrong.
        double[] scores = {0.9, 0.1, 0.05, 0.95};
        boolean[] same = {true, false, true, false};
        CrossValidation cv = CrossValidation.of(scores, same, 2);
        assertArrayEquals(new double[] {0.5, 0.0}, cv.foldAccuracies());
        assertEquals(0.25, cv.meanAccuracy());
        assertEquals(0.25, cv.stdAccuracy()); // np.std, ddof = 0; the sample std would be 0.354
    }

    @Test
    void twoGaussiansReachTheBayesAccuracy() {
        // Same-class scores ~ N(0.5, 0.25²), different-class ~ N(0, 0.25²), equal priors: the Bayes
        // rule thresholds at 0.25 and is right with probability Φ(0.25 / 0.25) = Φ(1) = 0.841345.
        // Over 6 000 held-out pairs the standard error is sqrt(0.84·0.16/6000) ≈ 0.0047; a chosen
        // (not Bayes) threshold only loses a second-order amount. Tolerance: 0.015 (about 3 SE).
        Random random = new Random(20240601);
        double[] scores = new double[6000];
        boolean[] same = new boolean[6000];
        for (int p = 0; p < 6000; p++) {
            same[p] = p % 600 < 300;
            scores[p] = (same[p] ? 0.5 : 0.0) + 0.25 * random.nextGaussian();
        }
        CrossValidation cv = CrossValidation.of(scores, same, 10);
        assertEquals(0.841345, cv.meanAccuracy(), 0.015);
        // The accuracy curve is flat near its top, so the threshold wanders more than the accuracy.
        assertEquals(0.25, cv.meanThreshold(), 0.05);
        // Each fold has 600 pairs: SE ≈ 0.015 per fold.
        assertEquals(0.015, cv.stdAccuracy(), 0.01);
    }

    @Test
    void refusesFoldsThatDoNotDivideThePairs() {
        assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.of(new double[5], new boolean[5], 2));
        assertThrows(IllegalArgumentException.class,
                () -> CrossValidation.of(new double[4], new boolean[4], 1));
    }
}
