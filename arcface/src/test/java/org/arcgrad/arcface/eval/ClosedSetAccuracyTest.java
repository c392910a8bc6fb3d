package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClosedSetAccuracyTest {

    /** {@code perClass} samples of each of {@code classes} classes: one-hot direction of the class, scaled, plus noise. */
    static Embeddings separated(int classes, int perClass, double noise, long seed) {
        Random random = new Random(seed);
        float[] x = new float[classes * perClass * classes];
        int[] y = new int[classes * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % classes;
            double scale = 0.5 + 3 * random.nextDouble(); // norms differ: only the angle may matter
            for (int k = 0; k < classes; k++) {
                x[i * classes + k] = (float) (scale * ((k == y[i] ? 1 : 0) + noise * random.nextGaussian()));
            }
        }
        return Embeddings.of(x, classes, y);
    }

    @Test
    void perfectlySeparatedClassesAreAllRight() {
        ClosedSetResult r = ClosedSetAccuracy.evaluate(separated(7, 12, 0.05, 1), separated(7, 9, 0.05, 2));
        assertEquals(1.0, r.accuracy());
        assertEquals(63, r.testSamples());
        assertEquals(84, r.trainSamples());
        assertEquals(7, r.centerCount());
        r.perClassAccuracy().values().forEach(a -> assertEquals(1.0, a));
    }

    @Test
    void knownConfusionGivesTheExactFraction() {
        // Centers along +x (class 0), +y (class 1), −x (class 2).
        Embeddings train = Embeddings.of(new float[] {1, 0, 2, 0, 0, 1, 0, 3, -1, 0}, 2, new int[] {0, 0, 1, 1, 2});
        Rows test = new Rows();
        for (int i = 0; i < 7; i++) {
            test.add(0, 1, 0.1f * i);     // class 0 near +x: right
        }
        for (int i = 0; i < 3; i++) {
            test.add(0, 0.2f, 1);         // class 0 near +y: taken for class 1
        }
        for (int i = 0; i < 4; i++) {
            test.add(1, 0.1f * i, 5);     // class 1 near +y: right
        }
        test.add(1, -1, 0.3f);            // class 1 near −x: taken for class 2
        for (int i = 0; i < 5; i++) {
            test.add(2, -2, -0.2f * i);   // class 2 near −x: right
        }

        ClosedSetResult r = ClosedSetAccuracy.evaluate(train, test.embeddings());
        assertEquals(16, r.correct());
        assertEquals(20, r.testSamples());
        assertEquals(16.0 / 20.0, r.accuracy());
        assertEquals(7.0 / 10.0, r.classAccuracy(0));
        assertEquals(4.0 / 5.0, r.classAccuracy(1));
        assertEquals(1.0, r.classAccuracy(2));
        assertEquals(10, r.classTotal(0));
        assertEquals(4, r.classCorrect(1));
        assertEquals(java.util.List.of(0, 1, 2), java.util.List.copyOf(r.perClassAccuracy().keySet()));
    }

    /** 2-d labelled rows, appended one by one. */
    private static final class Rows {
        private final java.util.List<float[]> rows = new java.util.ArrayList<>();
        private final java.util.List<Integer> labels = new java.util.ArrayList<>();

        void add(int label, float a, float b) {
            rows.add(new float[] {a, b});
            labels.add(label);
        }

        Embeddings embeddings() {
            float[] x = new float[rows.size() * 2];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, x, 2 * i, 2);
            }
            return Embeddings.of(x, 2, labels.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void centerIsTheMeanOfNormalizedEmbeddings() {
        // A long and a short vector count equally: the center is the diagonal, not nearly +x.
        ClassCenters c = ClassCenters.of(Embeddings.of(new float[] {100, 0, 0, 1}, 2, new int[] {4, 4}));
        assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}, c.center(4), 1e-15);
        assertArrayEquals(new int[] {4}, c.labels());
    }

    @Test
    void exactTieGoesToTheSmallestLabel() {
        Embeddings train = Embeddings.of(new float[] {1, 0, 0, 1}, 2, new int[] {5, 3});
        Embeddings test = Embeddings.of(new float[] {1, 1}, 2, new int[] {3});
        assertEquals(1.0, ClosedSetAccuracy.evaluate(train, test).accuracy());
        assertEquals(0.0, ClosedSetAccuracy.evaluate(train, Embeddings.of(new float[] {1, 1}, 2, new int[] {5})).accuracy());
    }

    @Test
    void refusesATestClassWithoutTrainingSamples() {
        Embeddings train = Embeddings.of(new float[] {1, 0}, 2, new int[] {0});
        Embeddings test = Embeddings.of(new float[] {1, 0}, 2, new int[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClosedSetAccuracy.evaluate(train, test));
        assertTrue(e.getMessage().contains("test class 1"), e.getMessage());
    }

    @Test
    void refusesNonFiniteEmbeddingsAndBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Embeddings.of(new float[] {1, 0, Float.NaN, 0}, 2, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 1, column 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Embeddings.of(new float[] {1, 0, 0}, 2, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Embeddings.of(new float[] {1, 0}, 2, new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> ClosedSetAccuracy.evaluate(
                Embeddings.of(new float[] {1, 0}, 2, new int[] {0}), Embeddings.of(new float[] {1, 0, 0}, 3, new int[] {0})));
    }
}
