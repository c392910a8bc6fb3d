package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Batches: each index once per epoch, drop-last as documented, resumable, and filled in place. */
class BatcherTest {
    /** 23 samples of dim 3 whose features encode the index (i, −i, 10 i) and label i % 4. */
    private static final Dataset DATA = indexedData(23, 3, 4);

    @Test
    void trainingDropsTheLastPartialBatchAndVisitsEachIndexAtMostOnce() {
        Batcher batcher = Batcher.forTraining(DATA, 5, 9);
        assertEquals(4, batcher.batchesPerEpoch());
        List<Integer> seen = visit(batcher, 0);
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());
    }

    @Test
    void evaluationKeepsTheLastPartialBatchInOrder() {
        Batcher batcher = Batcher.forEvaluation(DATA, 5);
        assertEquals(5, batcher.batchesPerEpoch());
        Batch batch = batcher.newBatch();
        batcher.startEpoch(0);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        while (batcher.next(batch)) {
            sizes.add(batch.size());
            for (int r = 0; r < batch.size(); r++) {
                seen.add(batch.indices()[r]);
            }
        }
        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        assertEquals(IntStream.range(0, 23).boxed().collect(Collectors.toList()), seen);
    }

    @Test
    void everyIndexExactlyOncePerEpochWhenTheBatchesDivideTheData() {
        Batcher batcher = new Batcher(DATA, 23, true, true, 1);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = visit(batcher, epoch);
            assertEquals(IntStream.range(0, 23).boxed().collect(Collectors.toList()), seen.stream().sorted().collect(Collectors.toList()));
        }
        Batcher keepLast = new Batcher(DATA, 4, true, false, 1);
        List<Integer> seen = visit(keepLast, 2);
        assertEquals(IntStream.range(0, 23).boxed().collect(Collectors.toList()), seen.stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void featuresAndLabelsMatchTheIndices() {
        Batcher batcher = Batcher.forTraining(DATA, 6, 3);
        Batch batch = batcher.newBatch();
        batcher.startEpoch(4);
        while (batcher.next(batch)) {
            assertEquals(4, batch.epoch());
            for (int r = 0; r < batch.size(); r++) {
                int i = batch.indices()[r];
                assertEquals(i % 4, batch.labels()[r]);
                assertArrayEquals(new float[] {i, -i, 10 * i}, Arrays.copyOfRange(batch.features(), 3 * r, 3 * r + 3));
            }
        }
    }

    @Test
    void reproducibleAndDifferentPerEpoch() {
        List<Integer> a0 = visit(Batcher.forTraining(DATA, 5, 7), 0);
        List<Integer> b0 = visit(Batcher.forTraining(DATA, 5, 7), 0);
        List<Integer> a1 = visit(Batcher.forTraining(DATA, 5, 7), 1);
        List<Integer> otherSeed = visit(Batcher.forTraining(DATA, 5, 8), 0);
        assertEquals(a0, b0);
        assertFalse(a0.equals(a1));
        assertFalse(a0.equals(otherSeed));
    }

    @Test
    void aResumedRunSeesTheSameBatchesAsAnUninterruptedOne() {
        Batcher uninterrupted = Batcher.forTraining(DATA, 5, 11);
        List<List<Integer>> all = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            all.add(visit(uninterrupted, epoch));
        }
        // a fresh process resuming at epoch 2, and one resuming at epoch 3 after 2 of its batches
        Batcher resumed = Batcher.forTraining(DATA, 5, 11);
        assertEquals(all.get(2), visit(resumed, 2));
        Batch batch = resumed.newBatch();
        resumed.startEpoch(3, 2);
        List<Integer> rest = new ArrayList<>();
        while (resumed.next(batch)) {
            assertTrue(batch.number() >= 2);
            for (int r = 0; r < batch.size(); r++) {
                rest.add(batch.indices()[r]);
            }
        }
        assertEquals(all.get(3).subList(10, 20), rest);
    }

    @Test
    void theSameArraysAreRefilled() {
        Batcher batcher = Batcher.forTraining(DATA, 5, 0);
        Batch batch = batcher.newBatch();
        float[] features = batch.features();
        int[] labels = batch.labels();
        batcher.startEpoch(0);
        int batches = 0;
        while (batcher.next(batch)) {
            assertSame(features, batch.features());
            assertSame(labels, batch.labels());
            batches++;
        }
        assertEquals(4, batches);
        assertFalse(batcher.next(batch), "stays finished until the next epoch starts");
    }

    @Test
    void misuseIsRefusedWithAReason() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> Batcher.forTraining(DATA, 24, 0));
        assertTrue(tooBig.getMessage().contains("an epoch would have no batch"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Batcher.forEvaluation(DATA, 0));
        Batcher batcher = Batcher.forEvaluation(DATA, 5);
        assertThrows(IllegalStateException.class, () -> batcher.next(batcher.newBatch()));
        batcher.startEpoch(0);
        assertThrows(IllegalArgumentException.class, () -> batcher.next(Batcher.forEvaluation(DATA, 6).newBatch()));
        assertThrows(IllegalArgumentException.class, () -> batcher.startEpoch(-1));
        assertThrows(IllegalArgumentException.class, () -> batcher.startEpoch(0, 6));
        // evaluation may use a batch larger than the data: one partial batch
        assertEquals(1, Batcher.forEvaluation(DATA, 100).batchesPerEpoch());
    }

    @Test
    void worksOverSyntheticData() {
        SyntheticIdentities train = SyntheticIdentities.split(new SyntheticSpec(50, 8, 3, 1, 0.3, true, 5)).train();
        Batcher batcher = Batcher.forTraining(train, 16, 5);
        Batch batch = batcher.newBatch();
        batcher.startEpoch(0);
        float[] row = new float[8];
        int batches = 0;
        while (batcher.next(batch)) {
            for (int r = 0; r < batch.size(); r++) {
                int i = batch.indices()[r];
                assertEquals(train.label(i), batch.labels()[r]);
                train.features(new int[] {i}, row);
                assertArrayEquals(row, Arrays.copyOfRange(batch.features(), 8 * r, 8 * r + 8));
            }
            batches++;
        }
        assertEquals(150 / 16, batches);
    }

    /** The indices one epoch visits, in order. */
    private static List<Integer> visit(Batcher batcher, int epoch) {
        Batch batch = batcher.newBatch();
        batcher.startEpoch(epoch);
        List<Integer> seen = new ArrayList<>();
        while (batcher.next(batch)) {
            if (batch.number() < batcher.batchesPerEpoch() - 1) {
                assertEquals(batcher.batchSize(), batch.size(), "only the last batch may be partial");
            }
            for (int r = 0; r < batch.size(); r++) {
                seen.add(batch.indices()[r]);
            }
        }
        return seen;
    }

    private static Dataset indexedData(int n, int dim, int classes) {
        float[] features = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[dim * i] = i;
            features[dim * i + 1] = -i;
            features[dim * i + 2] = 10 * i;
            labels[i] = i % classes;
        }
        List<String> names = IntStream.range(0, classes).mapToObj(c -> "c" + c).collect(Collectors.toList());
        return new Dataset("indexed", features, labels, dim, names);
    }
}
