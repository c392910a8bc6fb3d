package org.arcgrad.arcface.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The value type's conversions and guards. */
class NpyArrayTest {
    @Test
    void conversionsToDoubleAndFloat() {
        NpyArray i = NpyArray.ofInt32(new int[] {3}, new int[] {1, -2, 3});
        assertArrayEquals(new double[] {1, -2, 3}, i.toDoubleArray());
        assertArrayEquals(new float[] {1, -2, 3}, i.toFloatArray());
        NpyArray d = NpyArray.ofFloat64(new int[] {2}, new double[] {0.1, 1e300});
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, d.toFloatArray());
        assertArrayEquals(new double[] {(double) 0.1f}, NpyArray.ofFloat32(new int[] {}, new float[] {0.1f}).toDoubleArray());
    }

    @Test
    void integerConversionsRefuseFloatsAndOutOfRangeValues() {
        assertArrayEquals(new int[] {5, -5}, NpyArray.ofInt64(new int[] {2}, new long[] {5, -5}).toIntArray());
        assertArrayEquals(new long[] {5, -5}, NpyArray.ofInt32(new int[] {2}, new int[] {5, -5}).toLongArray());
        assertThrows(ArithmeticException.class, () -> NpyArray.ofInt64(new int[] {1}, new long[] {1L << 31}).toIntArray());
        assertThrows(IllegalStateException.class, () -> NpyArray.ofFloat32(new int[] {1}, new float[] {1}).toIntArray());
    }

    @Test
    void typedAccessorRefusesTheWrongDtype() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NpyArray.ofFloat32(new int[] {1}, new float[] {1}).float64Data());
        assertEquals("array is float32, not float64", e.getMessage());
    }

    @Test
    void shapeMustMatchData() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloat64(new int[] {2, 2}, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloat64(new int[] {-1}, new double[0]));
        assertEquals(1, NpyArray.ofFloat64(new int[] {}, new double[] {7}).size());
    }

    @Test
    void shapeIsDefensivelyCopied() {
        int[] shape = {2};
        NpyArray a = NpyArray.ofInt32(shape, new int[] {1, 2});
        shape[0] = 99;
        a.shape()[0] = 99;
        assertArrayEquals(new int[] {2}, a.shape());
        assertEquals("NpyArray[int32 (2,)]", a.toString());
    }
}
