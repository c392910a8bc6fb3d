package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The first classes of a set as a set of their own: exactly its samples with smaller labels, in order, features and all. */
class FirstClassesTest {
    @Test
    void keepsTheSamplesOfTheFirstClassesInOrder() {
        Random random = new Random(3);
        int n = 200_000; // more than one block of labels
        int dim = 2;
        int[] labels = new int[n];
        float[] features = new float[n * dim];
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(50);
            features[i * dim] = i;
            features[i * dim + 1] = labels[i];
            if (labels[i] < 7) {
                expected.add(i);
            }
        }
        Dataset all = new Dataset("random", features, labels, dim, java.util.stream.IntStream.range(0, 50).mapToObj(String::valueOf).toList());
        Samples first = FirstClasses.of(all, 7);
        assertEquals(expected.size(), first.size());
        assertEquals(7, first.classes());
        assertEquals(dim, first.dim());
        int[] picks = {0, first.size() - 1, first.size() / 2};
        float[] got = new float[picks.length * dim];
        int[] gotLabels = new int[picks.length];
        first.features(picks, got);
        first.labels(picks, gotLabels);
        for (int k = 0; k < picks.length; k++) {
            int i = expected.get(picks[k]);
            assertArrayEquals(new float[] {i, labels[i]}, new float[] {got[k * dim], got[k * dim + 1]});
            assertEquals(labels[i], gotLabels[k]);
        }
        assertSame(all, FirstClasses.of(all, 50), "a set with no more classes is itself");
    }
}
