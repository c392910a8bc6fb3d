package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loader on small crafted folders: the transform, and every way a folder can be wrong. */
class FashionMnistFolderTest {
    private static final int PIXELS = FashionMnist.DIM;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void loadsAndNormalizesWithTheTrainingSetsStatistics(boolean gzip) throws IOException {
        // train: an all-0 image and an all-255 image, so mean 0.5 and std 0.5; test: all 51 (0.2)
        writeFolder(gzip, new int[] {3, 7}, new int[] {0, 255}, new int[] {1}, new int[] {51});
        FashionMnist data = FashionMnist.load(dir);
        assertEquals(0.5, data.normalization().mean(), 1e-15);
        assertEquals(0.5, data.normalization().std(), 1e-15);
        assertArrayEquals(new int[] {3, 7}, data.train().labels());
        assertArrayEquals(new int[] {1}, data.test().labels());
        assertEquals(-1f, data.train().features()[0]);
        assertEquals(1f, data.train().features()[PIXELS]);
        assertEquals((float) ((0.2 - 0.5) / 0.5), data.test().features()[PIXELS - 1], 1e-7f);
        assertEquals(2 * PIXELS, data.train().features().length);
    }

    @Test
    void missingFolderNamesItAndThePackage() {
        Path missing = dir.resolve("nowhere");
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(missing));
        assertEquals(missing, e.path());
        assertTrue(e.getMessage().contains("Fashion-MNIST folder " + missing + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void aFileWhereTheFolderShouldBeIsSaidSo() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(file));
        assertTrue(e.getMessage().contains(file + " is not a folder"), e.getMessage());
    }

    @Test
    void missingFileNamesItAndThePackage() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {0, 9}, new int[] {1}, new int[] {0});
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(dir));
        String msg = e.getMessage();
        assertTrue(msg.contains("Fashion-MNIST file " + dir.resolve("t10k-labels-idx1-ubyte.gz") + " (or "
                + dir.resolve("t10k-labels-idx1-ubyte") + ", uncompressed) is missing"), msg);
        assertTrue(msg.contains("apt-get install dataset-fashion-mnist"), msg);
    }

    @Test
    void labelCountThatDiffersFromTheImageCountIsRefusedNamingBothFiles() throws IOException {
        writeFolder(true, new int[] {1, 2, 3}, new int[] {0, 0}, new int[] {1}, new int[] {0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": holds 2 images but its labels file "
                + dir.resolve("train-labels-idx1-ubyte.gz") + " holds 3 labels; the two files must belong together", e.getMessage());
    }

    @Test
    void labelOutsideZeroToNineIsRefused() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {0, 9}, new int[] {4, 10}, new int[] {0, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz") + ": label 10 at index 1 is outside 0..9"
                + " (Fashion-MNIST has 10 classes)", e.getMessage());
    }

    @Test
    void imagesOfTheWrongShapeAreRefused() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {0, 9}, new int[] {1}, new int[] {0});
        IdxTestFiles.write(dir, "train-images-idx3-ubyte.gz", IdxTestFiles.idx(0x08, new int[] {1, 28, 27}, new byte[28 * 27]), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz") + ": expected Fashion-MNIST images,"
                + " dims [N, 28, 28] of 0x08 (unsigned byte), found dims [1, 28, 27]"), e.getMessage());
    }

    @Test
    void labelsOfTheWrongTypeAreRefused() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {0, 9}, new int[] {1}, new int[] {0});
        IdxTestFiles.write(dir, "train-labels-idx1-ubyte.gz", IdxTestFiles.idx(0x0C, new int[] {1}, new byte[4]), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("expected Fashion-MNIST labels, dims [N] of 0x08 (unsigned byte), found dims [1] of 0x0C (int32)"),
                e.getMessage());
    }

    @Test
    void corruptGzipInTheFolderIsRefusedNamingTheFile() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {0, 9}, new int[] {1}, new int[] {0});
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        bytes[bytes.length - 6] ^= 0x33; // inside the CRC trailer
        Files.write(images, bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().startsWith(images + ": corrupt gzip stream"), e.getMessage());
    }

    @Test
    void trainingImagesOfOneValueCannotBeNormalizedAndAreRefused() throws IOException {
        writeFolder(true, new int[] {1, 2}, new int[] {17, 17}, new int[] {1}, new int[] {0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": every pixel of every training image is 17, so their"
                + " standard deviation is 0 and they cannot be normalized: not real images", e.getMessage());
    }

    /** Writes the four files; each image is one pixel value repeated, given per image. */
    private void writeFolder(boolean gzip, int[] trainLabels, int[] trainImageValues, int[] testLabels, int[] testImageValues) {
        String gz = gzip ? ".gz" : "";
        IdxTestFiles.write(dir, FashionMnist.TRAIN_LABELS + gz, IdxTestFiles.unsignedBytes(new int[] {trainLabels.length}, trainLabels), gzip);
        IdxTestFiles.write(dir, FashionMnist.TRAIN_IMAGES + gz, images(trainImageValues), gzip);
        IdxTestFiles.write(dir, FashionMnist.TEST_LABELS + gz, IdxTestFiles.unsignedBytes(new int[] {testLabels.length}, testLabels), gzip);
        IdxTestFiles.write(dir, FashionMnist.TEST_IMAGES + gz, images(testImageValues), gzip);
    }

    private static byte[] images(int[] values) {
        byte[] pixels = new byte[values.length * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) values[i / PIXELS];
        }
        return IdxTestFiles.idx(0x08, new int[] {values.length, 28, 28}, pixels);
    }
}
