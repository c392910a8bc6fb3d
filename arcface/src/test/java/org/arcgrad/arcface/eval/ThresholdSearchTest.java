package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdSearchTest {

    private static ThresholdSearch.Choice best(double[] positives, double[] negatives) {
        double[] scores = new double[positives.length + negatives.length];
        boolean[] same = new boolean[scores.length];
        // Interleave, so that nothing depends on the input order.
        for (int i = 0, p = 0, q = 0; i < scores.length; i++) {
            boolean takePositive = q == negatives.length || (p < positives.length && i % 2 == 0);
            scores[i] = takePositive ? positives[p++] : negatives[q++];
            same[i] = takePositive;
        }
        return ThresholdSearch.best(scores, same);
    }

    @Test
    void separableScoresGiveTheMidpointOfTheGap() {
        ThresholdSearch.Choice c = best(new double[] {0.75, 0.5, 0.875}, new double[] {0.125, 0.25, -0.5});
        assertEquals(0.375, c.threshold());
        assertEquals(1.0, c.accuracy());
    }

    @Test
    void widestOfTwoMaximizingGapsWins() {
        // Sorted: 0.1− 0.3− 0.6+ 0.7− 0.8+ 0.9+. Correct counts left to right: 3 4 5 4 5 4 3.
        // Two gaps reach 5/6: (0.3, 0.6), width 0.3, and (0.7, 0.8), width 0.1.
        ThresholdSearch.Choice c = best(new double[] {0.9, 0.8, 0.6}, new double[] {0.1, 0.3, 0.7});
        assertEquals(0.45, c.threshold(), 1e-15);
        assertEquals(5.0 / 6.0, c.accuracy());
    }

    @Test
    void equallyWideGapsGoToTheLowest() {
        // Sorted: 0.25− 0.5+ 0.75− 1.0+; gaps (0.25, 0.5) and (0.75, 1.0) both give 3/4, both 0.25 wide.
        ThresholdSearch.Choice c = best(new double[] {0.5, 1.0}, new double[] {0.25, 0.75});
        assertEquals(0.375, c.threshold());
        assertEquals(0.75, c.accuracy());
    }

    @Test
    void aPlateauAcrossACancellingScoreIsCenteredOverTheWholePlateau() {
        // A same- and a different-class pair both at 0.5: crossing 0.5 changes nothing, so the
        // best region is (0.125, 0.875) and its middle is 0.5 itself (which still scores 3/4).
        ThresholdSearch.Choice c = best(new double[] {0.5, 0.875}, new double[] {0.5, 0.125});
        assertEquals(0.5, c.threshold());
        assertEquals(0.75, c.accuracy());
        double[] scores = {0.5, 0.875, 0.5, 0.125};
        boolean[] same = {true, true, false, false};
        assertEquals(0.75, ThresholdSearch.accuracy(c.threshold(), scores, same, 0, 4));
    }

    @Test
    void onlySameClassPairsPutTheThresholdBelowThemAll() {
        ThresholdSearch.Choice c = best(new double[] {0.25, 0.5}, new double[0]);
        assertEquals(-0.75, c.threshold());
        assertEquals(1.0, c.accuracy());
        ThresholdSearch.Choice d = best(new double[0], new double[] {0.25, 0.5});
        assertEquals(1.5, d.threshold());
    }

    @Test
    void neighbouringDoublesStillSeparate() {
        double low = 0.3;
        double high = Math.nextUp(low);
        double[] scores = {high, low};
        boolean[] same = {true, false};
        ThresholdSearch.Choice c = ThresholdSearch.best(scores, same);
        assertEquals(1.0, c.accuracy());
        assertEquals(1.0, ThresholdSearch.accuracy(c.threshold(), scores, same, 0, 2));
    }

    @Test
    void strictlyAboveMeansSameClass() {
        double[] scores = {0.5, 0.5};
        boolean[] same = {true, false};
        assertEquals(0.5, ThresholdSearch.accuracy(0.5, scores, same, 0, 2));
        assertEquals(1.0, ThresholdSearch.accuracy(0.5, new double[] {0.5}, new boolean[] {false}, 0, 1));
    }

    @Test
    void refusesNaNAndMismatchedInput() {
        assertThrows(IllegalArgumentException.class, () -> ThresholdSearch.best(new double[] {Double.NaN}, new boolean[] {true}));
        assertThrows(IllegalArgumentException.class, () -> ThresholdSearch.best(new double[] {1}, new boolean[] {true, false}));
        assertThrows(IllegalArgumentException.class, () -> ThresholdSearch.best(new double[0], new boolean[0]));
    }
}
