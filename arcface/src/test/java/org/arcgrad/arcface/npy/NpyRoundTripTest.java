package org.arcgrad.arcface.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What we write, we read back bit for bit: every dtype, ranks 0 to 3, through a file and through memory. */
class NpyRoundTripTest {
    @TempDir
    Path dir;

    static Stream<Arguments> dtypesAndShapes() {
        int[][] shapes = {{}, {5}, {0}, {3, 4}, {2, 3, 4}, {1, 0, 2}};
        List<Arguments> out = new ArrayList<>();
        for (NpyDType t : NpyDType.values()) {
            for (int[] s : shapes) {
                out.add(Arguments.of(t, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    void roundTripThroughAFile(NpyDType dtype, int[] shape) throws IOException {
        NpyArray a = randomArray(dtype, shape, new Random(shape.length * 31L + dtype.ordinal()));
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, a);
        NpyArray b = NpyReader.read(file);
        assertEquals(a, b);
        assertArrayEquals(shape, b.shape());
        assertEquals(dtype, NpyReader.readHeader(file).dtype());
        assertEquals(0, (Files.size(file) - b.size() * (long) dtype.itemSize()) % 64, "data starts 64-byte aligned");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypesAndShapes")
    void roundTripThroughMemory(NpyDType dtype, int[] shape) throws IOException {
        NpyArray a = randomArray(dtype, shape, new Random(7));
        assertEquals(a, NpyReader.read(NpyWriter.toBytes(a), "memory"));
    }

    @Test
    void floatSpecialValuesKeepTheirBits() throws IOException {
        float[] f = {0f, -0f, Float.NaN, Float.intBitsToFloat(0x7fc01234), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE};
        double[] d = {0d, -0d, Double.NaN, Double.longBitsToDouble(0x7ff8000000abcdefL), Double.MIN_VALUE, -Double.MAX_VALUE};
        Path ff = dir.resolve("f.npy");
        Path fd = dir.resolve("d.npy");
        NpyWriter.write(ff, NpyArray.ofFloat32(new int[] {f.length}, f));
        NpyWriter.write(fd, NpyArray.ofFloat64(new int[] {d.length}, d));
        float[] f2 = NpyReader.read(ff).float32Data();
        double[] d2 = NpyReader.read(fd).float64Data();
        for (int i = 0; i < f.length; i++) {
            assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(f2[i]), "float32 element " + i);
        }
        for (int i = 0; i < d.length; i++) {
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(d2[i]), "float64 element " + i);
        }
    }

    @Test
    void largeArraySpansManyChunks() throws IOException {
        int n = 3 * NpyFormat.CHUNK_BYTES / 8 + 17;
        NpyArray a = randomArray(NpyDType.FLOAT64, new int[] {n}, new Random(3));
        Path file = dir.resolve("big.npy");
        NpyWriter.write(file, a);
        assertEquals(a, NpyReader.read(file));
    }

    @Test
    void overwritingReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.npy");
        NpyWriter.write(file, NpyArray.ofInt32(new int[] {2}, new int[] {1, 2}));
        NpyWriter.write(file, NpyArray.ofInt64(new int[] {}, new long[] {42}));
        assertEquals(NpyArray.ofInt64(new int[] {}, new long[] {42}), NpyReader.read(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writtenFileGetsOrdinaryPermissionsNotThoseOfATempFile() throws IOException {
        Path file = dir.resolve("p.npy");
        NpyWriter.write(file, NpyArray.ofInt32(new int[] {1}, new int[] {1}));
        Path plain = Files.createFile(dir.resolve("plain"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
            assertEquals(expected, Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void writingIntoAMissingFolderFailsNamingThePathAndLeavesNothing() {
        Path file = dir.resolve("no-such-folder").resolve("x.npy");
        IOException e = assertThrows(IOException.class,
                () -> NpyWriter.write(file, NpyArray.ofInt32(new int[] {1}, new int[] {1})));
        assertTrue(e.getMessage().contains("no-such-folder"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void writingOverAFolderIsRefused() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("sub.npy"));
        IOException e = assertThrows(IOException.class,
                () -> NpyWriter.write(folder, NpyArray.ofInt32(new int[] {1}, new int[] {1})));
        assertTrue(e.getMessage().contains("sub.npy"), e.getMessage());
    }

    static NpyArray randomArray(NpyDType dtype, int[] shape, Random r) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return switch (dtype) {
            case FLOAT32 -> {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) d[i] = (float) r.nextGaussian();
                yield NpyArray.ofFloat32(shape, d);
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) d[i] = r.nextGaussian();
                yield NpyArray.ofFloat64(shape, d);
            }
            case INT32 -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) d[i] = r.nextInt();
                yield NpyArray.ofInt32(shape, d);
            }
            case INT64 -> {
                long[] d = new long[n];
                for (int i = 0; i < n; i++) d[i] = r.nextLong();
                yield NpyArray.ofInt64(shape, d);
            }
        };
    }
}
