package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST files of Debian's dataset-fashion-mnist load with the known facts. */
class FashionMnistRealFilesTest {
    private static FashionMnist data;

    @BeforeAll
    static void load() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_FOLDER),
                "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_FOLDER + "; these tests need Debian's package "
                        + FashionMnist.DEBIAN_PACKAGE + " (apt-get install " + FashionMnist.DEBIAN_PACKAGE + "), which CI installs");
        data = FashionMnist.load();
    }

    @Test
    void sizesAndShapes() {
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals(784, data.train().dim());
        assertEquals(784, data.test().dim());
        assertEquals(10, data.train().classes());
        assertEquals(60_000L * 784, data.train().features().length);
        assertEquals("Ankle boot", data.train().className(9));
    }

    @Test
    void firstLabelsAreTheKnownOnes() {
        assertArrayEquals(new int[] {9, 0, 0, 3}, Arrays.copyOf(data.train().labels(), 4));
        assertArrayEquals(new int[] {9, 2, 1, 1}, Arrays.copyOf(data.test().labels(), 4));
    }

    @Test
    void everyClassHasItsShareOfSamples() {
        // Fashion-MNIST is balanced: 6000 training and 1000 test images per class
        int[] train = new int[10];
        int[] test = new int[10];
        Arrays.stream(data.train().labels()).forEach(y -> train[y]++);
        Arrays.stream(data.test().labels()).forEach(y -> test[y]++);
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, train[c], "train class " + c);
            assertEquals(1000, test[c], "test class " + c);
        }
    }

    @Test
    void normalizationIsFittedOnTheTrainingPixels() {
        PixelNormalization n = data.normalization();
        assertEquals(0.2860, n.mean(), 5e-5, n.toString());
        assertEquals(0.3530, n.std(), 5e-5, n.toString());
        // so the training features have mean 0 and std 1, and the test features nearly so
        double[] train = meanAndStd(data.train().features());
        assertEquals(0, train[0], 1e-6);
        assertEquals(1, train[1], 1e-6);
        double[] test = meanAndStd(data.test().features());
        assertTrue(Math.abs(test[0]) < 0.02 && Math.abs(test[1] - 1) < 0.02, Arrays.toString(test));
        // pixel 0 (the background) maps to −mean/std
        assertEquals((float) (-n.mean() / n.std()), data.train().features()[0]);
    }

    private static double[] meanAndStd(float[] x) {
        double sum = 0;
        double squares = 0;
        for (float v : x) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / x.length;
        return new double[] {mean, Math.sqrt(squares / x.length - mean * mean)};
    }
}
