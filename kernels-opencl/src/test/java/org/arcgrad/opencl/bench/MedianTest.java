package org.arcgrad.opencl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianTest {
    @Test
    void anOddCountGivesTheMiddleValueWhateverTheOrder() {
        assertEquals(3.0, Median.of(5.0, 1.0, 3.0));
        assertEquals(3.0, Median.of(5L, 3L, 1L));
    }

    @Test
    void anEvenCountGivesTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, Median.of(4.0, 1.0, 2.0, 3.0));
        assertEquals(15.0, Median.of(10L, 20L));
    }

    @Test
    void theInputIsNotReordered() {
        double[] v = {3, 1, 2};
        Median.of(v);
        assertEquals(3.0, v[0]);
    }

    @Test
    void noValuesHaveNoMedian() {
        assertThrows(IllegalArgumentException.class, () -> Median.of(new double[0]));
    }
}
