package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingHistoryTest {

    @Test
    void columnsFollowTheRecords() {
        TrainingHistory h = new TrainingHistory();
        h.add(new EpochRecord(1, 3.0, 0.5, 0.6, 2.0));
        h.add(EpochRecord.unevaluated(2, Double.NaN, 1.5));
        assertArrayEquals(new int[] {1, 2}, h.epochs());
        assertArrayEquals(new double[] {3.0, Double.NaN}, h.losses());
        assertArrayEquals(new double[] {0.5, Double.NaN}, h.testAccuracies());
        assertArrayEquals(new double[] {0.6, Double.NaN}, h.verificationAccuracies());
        assertEquals(3.5, h.totalSeconds());
        assertEquals(2, h.last().orElseThrow().epoch());
        assertThrows(UnsupportedOperationException.class, () -> h.records().clear());
    }

    @Test
    void epochsMustIncrease() {
        TrainingHistory h = new TrainingHistory();
        h.add(EpochRecord.unevaluated(3, 1.0, 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.add(EpochRecord.unevaluated(3, 1.0, 1.0)));
        assertTrue(e.getMessage().contains("epochs must increase"));
    }

    @Test
    void recordsRefuseImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> EpochRecord.unevaluated(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 1, 1.5, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 1, 0.5, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> EpochRecord.unevaluated(1, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> EpochRecord.unevaluated(1, 1, -1));
    }
}
