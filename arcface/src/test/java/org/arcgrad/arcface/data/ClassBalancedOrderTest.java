package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The P×K sampler: every batch is K distinct samples of each of P distinct classes; an epoch is a
 * function of (seed, epoch) alone, so a resumed run sees the same batches; classes are drawn
 * uniformly; no sample comes back before its class has given all of its; bad P, K or data are refused.
 */
class ClassBalancedOrderTest {
    /** 10 classes of 20, 21, ..., 29 samples (245 in all), shuffled so that no order of the samples follows the labels. */
    private static final Dataset DATA = data(10, 20);

    @Test
    void everyBatchHoldsKDistinctSamplesOfEachOfPDistinctClasses() {
        ClassBalancedOrder pk = new ClassBalancedOrder(DATA, 4, 3, 11);
        assertEquals(12, pk.batchSize());
        assertEquals(245 / 12 * 12, pk.length());
        Batcher batcher = Batcher.classBalanced(DATA, pk);
        assertEquals(245 / 12, batcher.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int[] batch : batches(batcher, epoch, 0)) {
                assertEquals(12, Arrays.stream(batch).distinct().count(), "no sample twice in a batch");
                Map<Integer, Long> perLabel = Arrays.stream(batch).boxed().collect(Collectors.groupingBy(ClassBalancedOrderTest::label, Collectors.counting()));
                assertEquals(4, perLabel.size(), "P classes: " + perLabel);
                assertTrue(perLabel.values().stream().allMatch(c -> c == 3), "K of each: " + perLabel);
            }
        }
    }

    @Test
    void anEpochDependsOnTheSeedAndEpochAloneAndResumesMidEpoch() {
        ClassBalancedOrder pk = new ClassBalancedOrder(DATA, 5, 4, 7);
        int[] first = new int[pk.length()];
        int[] again = new int[pk.length()];
        pk.fill(2, first);
        new ClassBalancedOrder(DATA, 5, 4, 7).fill(2, again);
        assertArrayEquals(first, again);
        int[] otherEpoch = new int[pk.length()];
        pk.fill(3, otherEpoch);
        assertFalse(Arrays.equals(first, otherEpoch), "epochs differ");
        int[] otherSeed = new int[pk.length()];
        new ClassBalancedOrder(DATA, 5, 4, 8).fill(2, otherSeed);
        assertFalse(Arrays.equals(first, otherSeed), "seeds differ");

        Batcher batcher = Batcher.classBalanced(DATA, pk);
        List<int[]> whole = batches(batcher, 2, 0);
        List<int[]> resumed = batches(Batcher.classBalanced(DATA, pk), 2, 5);
        assertEquals(whole.size() - 5, resumed.size());
        for (int b = 0; b < resumed.size(); b++) {
            assertArrayEquals(whole.get(b + 5), resumed.get(b), "batch " + (b + 5));
        }
    }

    /** Over many epochs each class is picked about batches · P / classes times (within 5 standard deviations). */
    @Test
    void classesAreDrawnUniformly() {
        ClassBalancedOrder pk = new ClassBalancedOrder(DATA, 3, 2, 5);
        int[] picks = new int[10];
        int batchesSeen = 0;
        int[] order = new int[pk.length()];
        for (int epoch = 0; epoch < 200; epoch++) {
            pk.fill(epoch, order);
            for (int at = 0; at < order.length; at += 2) {
                picks[label(order[at])]++;
            }
            batchesSeen += order.length / 6;
        }
        double p = 3 / 10.0;
        double mean = batchesSeen * p;
        double sd = Math.sqrt(batchesSeen * p * (1 - p));
        for (int c = 0; c < 10; c++) {
            assertTrue(Math.abs(picks[c] - mean) < 5 * sd, "class " + c + " picked " + picks[c] + " times, expected " + mean + " ± " + sd);
        }
    }

    /** A class's samples come back only after all of them were given: its first n picks in an epoch are distinct. */
    @Test
    void noSampleRepeatsBeforeItsClassIsUsedUp() {
        ClassBalancedOrder pk = new ClassBalancedOrder(DATA, 8, 5, 3);
        int[] order = new int[pk.length()];
        pk.fill(0, order);
        Map<Integer, List<Integer>> byLabel = new HashMap<>();
        for (int i : order) {
            byLabel.computeIfAbsent(label(i), k -> new ArrayList<>()).add(i);
        }
        for (var e : byLabel.entrySet()) {
            int size = 20 + e.getKey();
            List<Integer> given = e.getValue();
            int fullRounds = size / 5 * 5; // a class gives K at a time, reshuffling when fewer than K are left
            List<Integer> firstRound = given.subList(0, Math.min(given.size(), fullRounds));
            Set<Integer> distinct = new HashSet<>(firstRound);
            assertEquals(firstRound.size(), distinct.size(), "class " + e.getKey() + " repeated a sample within its first " + fullRounds);
        }
    }

    @Test
    void refusesWhatCannotMakeAPkBatch() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClassBalancedOrder(DATA, 1, 4, 0)).getMessage()
                .contains("P ≥ 2 classes and K ≥ 2 samples"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClassBalancedOrder(DATA, 4, 1, 0)).getMessage()
                .contains("got P = 4, K = 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClassBalancedOrder(DATA, 11, 2, 0)).getMessage()
                .contains("takes 11 classes, and the training set has 10"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClassBalancedOrder(DATA, 2, 21, 0)).getMessage()
                .contains("class 0 (c0) has 20 training samples, fewer than the 21"));
    }

    private static int label(int sample) {
        int[] one = new int[1];
        DATA.labels(new int[] {sample}, one);
        return one[0];
    }

    private static List<int[]> batches(Batcher batcher, int epoch, int firstBatch) {
        Batch batch = batcher.newBatch();
        batcher.startEpoch(epoch, firstBatch);
        List<int[]> out = new ArrayList<>();
        while (batcher.next(batch)) {
            out.add(Arrays.copyOf(batch.indices(), batch.size()));
        }
        return out;
    }

    /** {@code classes} classes, class c with {@code smallest} + c samples, interleaved; feature = index. */
    private static Dataset data(int classes, int smallest) {
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < smallest + c; i++) {
                labels.add(c);
            }
        }
        java.util.Collections.shuffle(labels, new java.util.Random(1));
        int n = labels.size();
        float[] features = new float[n];
        for (int i = 0; i < n; i++) {
            features[i] = i;
        }
        return new Dataset("pk", features, labels.stream().mapToInt(Integer::intValue).toArray(), 1,
                IntStream.range(0, classes).mapToObj(c -> "c" + c).collect(Collectors.toList()));
    }
}
