package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Synthetic identities: deterministic per seed, lazily generated, and with the class structure promised. */
class SyntheticIdentitiesTest {
    private static final SyntheticSpec SPEC = new SyntheticSpec(200, 64, 5, 2, 0.5, true, 42);

    @Test
    void sizesLabelsAndShape() {
        TrainTestSplit<SyntheticIdentities> split = SyntheticIdentities.split(SPEC);
        assertEquals(1000, split.train().size());
        assertEquals(400, split.test().size());
        assertEquals(64, split.train().dim());
        assertEquals(200, split.test().classes());
        int[] labels = new int[4];
        split.train().labels(new int[] {0, 4, 5, 999}, labels);
        assertArrayEquals(new int[] {0, 0, 1, 199}, labels);
        split.test().labels(new int[] {0, 1, 2, 399}, labels);
        assertArrayEquals(new int[] {0, 0, 1, 199}, labels);
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        int[] all = IntStream.range(0, 1000).toArray();
        float[] a = features(SyntheticIdentities.split(SPEC).train(), all);
        float[] b = features(SyntheticIdentities.split(SPEC).train(), all);
        SyntheticSpec otherSeed = new SyntheticSpec(200, 64, 5, 2, 0.5, true, 43);
        float[] c = features(SyntheticIdentities.split(otherSeed).train(), all);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void aSampleDoesNotDependOnWhatElseIsInTheBatch() {
        SyntheticIdentities train = SyntheticIdentities.split(SPEC).train();
        float[] alone = features(train, new int[] {777});
        float[] inBatch = features(train, new int[] {3, 777, 12});
        assertArrayEquals(alone, Arrays.copyOfRange(inBatch, 64, 128));
    }

    @Test
    void trainAndTestShareCentresButNoSample() {
        TrainTestSplit<SyntheticIdentities> split = SyntheticIdentities.split(SPEC);
        // test sample 0 of class 7 is sample 5 of class 7 in the split's numbering
        float[] test = features(split.test(), new int[] {14});
        float[] direct = new float[64];
        split.train().sample(7, 5, direct, 0);
        assertArrayEquals(direct, test);
        float[] trainRows = features(split.train(), IntStream.range(35, 40).toArray());
        for (int r = 0; r < 5; r++) {
            assertFalse(Arrays.equals(test, Arrays.copyOfRange(trainRows, 64 * r, 64 * r + 64)));
        }
        // the nearest training centre of every test sample is its own class's (noise 0.5 ≈ 27°)
        float[] centres = new float[200 * 64];
        for (int c = 0; c < 200; c++) {
            split.train().center(c, centres, 64 * c);
        }
        float[] tests = features(split.test(), IntStream.range(0, 400).toArray());
        for (int i = 0; i < 400; i++) {
            int best = -1;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 200; c++) {
                double dot = dot(tests, 64 * i, centres, 64 * c, 64);
                if (dot > bestDot) {
                    bestDot = dot;
                    best = c;
                }
            }
            assertEquals(split.test().label(i), best, "test sample " + i);
        }
    }

    @Test
    void sameClassSamplesAreCloserThanDifferentClassSamples() {
        SyntheticIdentities train = SyntheticIdentities.split(SPEC).train();
        float[] x = features(train, IntStream.range(0, 1000).toArray());
        double same = 0;
        double different = 0;
        long sameCount = 0;
        long differentCount = 0;
        for (int i = 0; i < 1000; i++) {
            for (int j = i + 1; j < 1000; j++) {
                double d = distance(x, 64 * i, 64 * j, 64);
                if (i / 5 == j / 5) {
                    same += d;
                    sameCount++;
                } else {
                    different += d;
                    differentCount++;
                }
            }
        }
        same /= sameCount;
        different /= differentCount;
        // unit vectors: about 2·sin(27°/2)·√2 ≈ 0.65 apart within a class, √2 ≈ 1.41 across classes
        assertTrue(same < 0.8 && different > 1.3, "same-class " + same + ", different-class " + different);
    }

    @Test
    void noiseMeansTheExpectedDistanceFromTheCentre() {
        // without renormalization, ‖x − centre‖² averages σ²; centres are unit vectors
        SyntheticSpec raw = new SyntheticSpec(100, 256, 4, 0, 0.8, false, 1);
        SyntheticIdentities train = SyntheticIdentities.split(raw).train();
        float[] x = features(train, IntStream.range(0, 400).toArray());
        float[] centre = new float[256];
        double squares = 0;
        for (int i = 0; i < 400; i++) {
            train.center(i / 4, centre, 0);
            assertEquals(1.0, Math.sqrt(dot(centre, 0, centre, 0, 256)), 1e-6);
            for (int k = 0; k < 256; k++) {
                double d = x[256 * i + k] - centre[k];
                squares += d * d;
            }
        }
        assertEquals(0.64, squares / 400, 0.01);
    }

    @Test
    void renormalizedSamplesAreUnitVectors() {
        float[] x = features(SyntheticIdentities.split(SPEC).train(), IntStream.range(0, 1000).toArray());
        for (int i = 0; i < 1000; i++) {
            assertEquals(1.0, Math.sqrt(dot(x, 64 * i, x, 64 * i, 64)), 1e-6);
        }
    }

    @Test
    void aMillionClassesCostNoMemory() {
        // nothing is stored, so the largest runs are as cheap to set up as the smallest
        TrainTestSplit<SyntheticIdentities> split = SyntheticIdentities.split(new SyntheticSpec(1_000_000, 512, 2, 1, 0.5, true, 3));
        assertEquals(2_000_000, split.train().size());
        float[] x = features(split.train(), new int[] {1_999_999, 0});
        int[] labels = new int[2];
        split.train().labels(new int[] {1_999_999, 0}, labels);
        assertArrayEquals(new int[] {999_999, 0}, labels);
        assertEquals(1.0, Math.sqrt(dot(x, 0, x, 0, 512)), 1e-6);
    }

    @Test
    void definitionIsPinned() {
        // Sample 0 of class 0 and sample 1 of class 9, as tools/arcgrad_data.py (an independent Python
        // port of the documented definition) computes them. Changing these changes every synthetic
        // run: do it only on purpose, and change the Python port with it.
        SyntheticIdentities train = SyntheticIdentities.split(new SyntheticSpec(10, 4, 2, 1, 0.5, false, 0)).train();
        float[] x = features(train, new int[] {0, 19});
        float[] python = {-0.5210707783699036f, 0.4665866196155548f, -0.2201007604598999f, 0.1938096135854721f,
            -0.6595970988273621f, -0.14110271632671356f, -0.22260214388370514f, -0.7805620431900024f};
        assertArrayEquals(python, x, Arrays.toString(x));
    }

    @Test
    void invalidSpecsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(1, 8, 1, 1, 0.5, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(10, 1, 1, 1, 0.5, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(10, 8, 0, 1, 0.5, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(10, 8, 1, -1, 0.5, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticSpec(10, 8, 1, 1, Double.NaN, true, 0));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticSpec(1_000_000, 8, 3000, 1, 0.5, true, 0));
        assertTrue(tooMany.getMessage().contains("3000000000 samples"), tooMany.getMessage());
        SyntheticIdentities train = SyntheticIdentities.split(SPEC).train();
        assertThrows(IndexOutOfBoundsException.class, () -> train.features(new int[] {1000}, new float[64]));
    }

    private static float[] features(Samples samples, int[] indices) {
        float[] into = new float[indices.length * samples.dim()];
        samples.features(indices, into);
        return into;
    }

    private static double dot(float[] a, int i, float[] b, int j, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += (double) a[i + k] * b[j + k];
        }
        return s;
    }

    private static double distance(float[] x, int i, int j, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double d = x[i + k] - x[j + k];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
