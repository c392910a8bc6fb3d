package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Partial FC's class sample, as insightface's PartialFC_V2 defines it: every class of the batch,
 * floor(rate · C) classes in all (or just the batch's when it holds more), sorted, the labels
 * renumbered to positions in it, the others uniform, reproducible per (seed, step).
 */
class PartialFcSamplerTest {
    @Test
    void theBatchsClassesAreKeptTheRestFillsToRateTimesCAndLabelsPointIntoTheSample() {
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int c = 2 + r.nextInt(500);
            double rate = 0.01 + 0.99 * r.nextDouble();
            int[] labels = r.ints(1 + r.nextInt(40), 0, c).toArray();
            labels[0] = 0;
            if (labels.length > 1) {
                labels[1] = c - 1;
            }
            PartialFcSampler s = new PartialFcSampler(c, rate, trial);
            PartialFcSampler.Sample sample = s.sample(labels, trial);
            int distinct = (int) Arrays.stream(labels).distinct().count();
            assertEquals(Math.max((int) (rate * c), distinct), sample.classes().length, "C " + c + " rate " + rate);
            for (int i = 1; i < sample.classes().length; i++) {
                assertTrue(sample.classes()[i - 1] < sample.classes()[i], "sorted and distinct");
            }
            assertTrue(sample.classes()[0] >= 0 && sample.classes()[sample.classes().length - 1] < c);
            for (int i = 0; i < labels.length; i++) {
                assertEquals(labels[i], sample.classes()[sample.labels()[i]], "label " + i + " renumbered into the sample");
            }
        }
    }

    @Test
    void theSameSeedAndStepGiveTheSameSampleAndAnotherStepAnother() {
        PartialFcSampler s = new PartialFcSampler(100_000, 0.1, 7);
        int[] labels = {5, 17, 99_999, 5};
        assertArrayEquals(s.sample(labels, 3).classes(), new PartialFcSampler(100_000, 0.1, 7).sample(labels, 3).classes());
        assertFalse(Arrays.equals(s.sample(labels, 3).classes(), s.sample(labels, 4).classes()));
        assertFalse(Arrays.equals(s.sample(labels, 3).classes(), new PartialFcSampler(100_000, 0.1, 8).sample(labels, 3).classes()));
        assertEquals(10_000, s.sample(labels, 3).classes().length);
    }

    @Test
    void theOtherClassesAreEquallyLikely() {
        // C = 50, batch classes {3, 4, 40}, k = 10: each of the 47 others is in 7 of 47 samples on average
        int c = 50;
        int[] labels = {3, 4, 40};
        PartialFcSampler s = new PartialFcSampler(c, 0.2, 11);
        int steps = 20_000;
        int[] counts = new int[c];
        for (int step = 0; step < steps; step++) {
            for (int k : s.sample(labels, step).classes()) {
                counts[k]++;
            }
        }
        double expected = steps * 7.0 / 47;
        double chi2 = 0;
        for (int k = 0; k < c; k++) {
            if (k == 3 || k == 4 || k == 40) {
                assertEquals(steps, counts[k], "a batch class is always in");
            } else {
                chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
            }
        }
        // 46 degrees of freedom: the 0.9999 quantile is about 90
        assertTrue(chi2 < 90, "chi² " + chi2 + " over 46 degrees of freedom: " + Arrays.toString(counts));
    }

    @Test
    void aBatchWithMoreClassesThanTheSampleKeepsExactlyItsClassesAndEdgeRatesHold() {
        PartialFcSampler small = new PartialFcSampler(100, 0.02, 1);
        PartialFcSampler.Sample s = small.sample(new int[] {9, 1, 50, 1, 77}, 0);
        assertArrayEquals(new int[] {1, 9, 50, 77}, s.classes());
        assertArrayEquals(new int[] {1, 0, 2, 0, 3}, s.labels());
        assertEquals(10, new PartialFcSampler(10, 1.0, 1).sample(new int[] {3}, 0).classes().length);
        assertThrows(IllegalArgumentException.class, () -> new PartialFcSampler(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PartialFcSampler(10, 1.5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.sample(new int[] {100}, 0));
        assertTrue(e.getMessage().contains("label 100 is outside [0, 100)"), e.getMessage());
    }
}
