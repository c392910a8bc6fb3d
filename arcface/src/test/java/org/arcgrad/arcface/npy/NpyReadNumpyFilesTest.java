package org.arcgrad.arcface.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written by numpy 1.24 (tools/make_npy_test_files.py) read as numpy would read them. */
class NpyReadNumpyFilesTest {
    @Test
    void float32WithSpecialValues() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("f4_2x4.npy"));
        assertEquals(NpyDType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 4}, a.shape());
        float[] expected = {0f, -0f, 1.5f, -2.25f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-45f};
        float[] got = a.float32Data();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), "element " + i);
        }
    }

    @Test
    void rankZeroScalar() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("f8_scalar.npy"));
        assertEquals(0, a.rank());
        assertEquals(1, a.size());
        assertArrayEquals(new double[] {Math.PI}, a.float64Data());
    }

    @Test
    void int32Extremes() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("i4_1d.npy"));
        assertArrayEquals(new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}, a.int32Data());
    }

    @Test
    void int64Rank3BeyondDoublePrecision() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("i8_2x3x4.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        long[] d = a.int64Data();
        for (int i = 0; i < 24; i++) {
            assertEquals(i * ((1L << 40) + 1) - (1L << 44), d[i], "element " + i);
        }
    }

    @Test
    void version2Header() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("f8_v2.npy"));
        assertEquals("2.0", NpyReader.readHeader(NpyTestFiles.path("f8_v2.npy")).version());
        assertArrayEquals(new int[] {3, 2}, a.shape());
        assertArrayEquals(new double[] {-1, -0.6, -0.2, 0.2, 0.6, 1}, a.float64Data(), 1e-15);
    }

    @Test
    void version3Header() throws IOException {
        assertEquals("3.0", NpyReader.readHeader(NpyTestFiles.path("f4_v3.npy")).version());
        assertArrayEquals(new float[] {1f, 2f}, NpyReader.read(NpyTestFiles.path("f4_v3.npy")).float32Data());
    }

    @Test
    void zeroElements() throws IOException {
        NpyArray a = NpyReader.read(NpyTestFiles.path("f8_empty_0x3.npy"));
        assertArrayEquals(new int[] {0, 3}, a.shape());
        assertEquals(0, a.size());
    }

    @Test
    void labelsConvertToInts() throws IOException {
        assertArrayEquals(new int[] {0, 4, 2, 4}, NpyReader.read(NpyTestFiles.path("i8_labels.npy")).toIntArray());
    }

    @Test
    void nativeAndNotApplicableByteOrderMarksReadAsLittleEndian() throws IOException {
        assertArrayEquals(new double[] {0, 1, 2}, NpyReader.read(NpyTestFiles.path("native_order_f8.npy")).float64Data());
        assertArrayEquals(new int[] {7, -7}, NpyReader.read(NpyTestFiles.path("not_applicable_order_i4.npy")).int32Data());
    }

    /** Our writer produces numpy's bytes exactly (for headers where numpy's padding lands on the same 64-byte line). */
    @ParameterizedTest
    @ValueSource(strings = {"f4_2x4.npy", "f8_scalar.npy", "i4_1d.npy", "i8_2x3x4.npy", "f8_empty_0x3.npy", "i8_labels.npy"})
    void writerMatchesNumpyByteForByte(String name) throws IOException {
        byte[] numpy = Files.readAllBytes(NpyTestFiles.path(name));
        assertArrayEquals(numpy, NpyWriter.toBytes(NpyReader.read(NpyTestFiles.path(name))));
    }
}
