package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Well-formed IDX files of every type read back exactly, compressed or not, whatever their names. */
class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void unsignedBytesReadAsZeroTo255(boolean gzip) throws IOException {
        Path file = IdxTestFiles.write(dir, "u8", IdxTestFiles.unsignedBytes(new int[] {2, 3}, 0, 1, 127, 128, 200, 255), gzip);
        IdxArray a = IdxReader.read(file);
        assertEquals(IdxType.UNSIGNED_BYTE, a.type());
        assertArrayEquals(new int[] {2, 3}, a.dims());
        assertArrayEquals(new int[] {0, 1, 127, 128, 200, 255}, a.toIntArray());
        assertEquals(255.0, a.doubleAt(5));
        assertEquals(6, a.byteData().length);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void everyTypeReadsBigEndianElements(boolean gzip) throws IOException {
        // enough elements that multi-byte types cross the reader's 64 KiB conversion chunks
        int n = 40_000;
        Random random = new Random(1);
        ByteBuffer s8 = ByteBuffer.allocate(n);
        ByteBuffer i16 = ByteBuffer.allocate(2 * n);
        ByteBuffer i32 = ByteBuffer.allocate(4 * n);
        ByteBuffer f32 = ByteBuffer.allocate(4 * n);
        ByteBuffer f64 = ByteBuffer.allocate(8 * n);
        int[] ints = new int[n];
        short[] shorts = new short[n];
        byte[] bytes = new byte[n];
        float[] floats = new float[n];
        double[] doubles = new double[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) random.nextInt();
            shorts[i] = (short) random.nextInt();
            ints[i] = random.nextInt();
            floats[i] = (float) random.nextGaussian();
            doubles[i] = random.nextGaussian();
            s8.put(bytes[i]);
            i16.putShort(shorts[i]);
            i32.putInt(ints[i]);
            f32.putFloat(floats[i]);
            f64.putDouble(doubles[i]);
        }
        int[] dims = {n / 4, 2, 2};
        IdxArray a8 = IdxReader.read(IdxTestFiles.write(dir, "s8", IdxTestFiles.idx(0x09, dims, s8.array()), gzip));
        IdxArray a16 = IdxReader.read(IdxTestFiles.write(dir, "i16", IdxTestFiles.idx(0x0B, dims, i16.array()), gzip));
        IdxArray a32 = IdxReader.read(IdxTestFiles.write(dir, "i32", IdxTestFiles.idx(0x0C, dims, i32.array()), gzip));
        IdxArray af = IdxReader.read(IdxTestFiles.write(dir, "f32", IdxTestFiles.idx(0x0D, dims, f32.array()), gzip));
        IdxArray ad = IdxReader.read(IdxTestFiles.write(dir, "f64", IdxTestFiles.idx(0x0E, dims, f64.array()), gzip));
        assertEquals(IdxType.SIGNED_BYTE, a8.type());
        assertEquals(IdxType.SHORT, a16.type());
        assertEquals(IdxType.INT, a32.type());
        assertEquals(IdxType.FLOAT, af.type());
        assertEquals(IdxType.DOUBLE, ad.type());
        for (int i = 0; i < n; i++) {
            assertEquals(bytes[i], a8.intAt(i));
            assertEquals(shorts[i], a16.intAt(i));
            assertEquals(ints[i], a32.intAt(i));
            assertEquals(floats[i], (float) af.doubleAt(i));
            assertEquals(doubles[i], ad.doubleAt(i));
        }
        assertThrows(IllegalStateException.class, () -> af.intAt(0));
        assertThrows(IllegalStateException.class, a32::byteData);
    }

    @Test
    void compressionIsDetectedByMagicNotByName() throws IOException {
        byte[] content = IdxTestFiles.unsignedBytes(new int[] {3}, 7, 8, 9);
        Path gzipWithoutSuffix = IdxTestFiles.write(dir, "labels-idx1-ubyte", content, true);
        Path plainWithGzSuffix = IdxTestFiles.write(dir, "labels-idx1-ubyte.gz", content, false);
        assertArrayEquals(new int[] {7, 8, 9}, IdxReader.read(gzipWithoutSuffix).toIntArray());
        assertArrayEquals(new int[] {7, 8, 9}, IdxReader.read(plainWithGzSuffix).toIntArray());
        try (IdxInput in = IdxInput.open(gzipWithoutSuffix)) {
            assertTrue(in.isGzip());
        }
        try (IdxInput in = IdxInput.open(plainWithGzSuffix)) {
            assertFalse(in.isGzip());
        }
    }

    @Test
    void streamingReadsTheDataInPiecesAndChecksTheEnd() throws IOException {
        Path file = IdxTestFiles.write(dir, "stream", IdxTestFiles.unsignedBytes(new int[] {5}, 1, 2, 3, 4, 5), true);
        try (IdxInput in = IdxInput.open(file)) {
            assertEquals("IdxHeader[dims [5] of 0x08 (unsigned byte)]", in.header().toString());
            byte[] into = new byte[5];
            in.readData(into, 0, 2);
            assertThrows(IllegalStateException.class, in::finish, "finish before all data is read");
            in.readData(into, 2, 3);
            assertThrows(IllegalArgumentException.class, () -> in.readData(into, 0, 1), "past the data");
            in.finish();
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, into);
        }
    }
}
