package org.arcgrad.arcface.data;

import java.util.Objects;

/**
 * Cuts {@link Samples} into batches, epoch by epoch. Training shuffles every epoch with
 * {@link EpochPermutation} (from the seed and the epoch number alone), or draws P×K batches with
 * {@link ClassBalancedOrder}, and drops the last partial batch, so every step sees exactly the
 * batch size; evaluation visits the samples in order and keeps the last partial batch, so every
 * sample is scored once.
 *
 * <pre>{@code
 * Batcher batches = Batcher.forTraining(train, 256, seed);
 * Batch batch = batches.newBatch();                      // the only allocation
 * for (int epoch = firstEpoch; epoch < epochs; epoch++) {
 *     batches.startEpoch(epoch);
 *     while (batches.next(batch)) {
 *         step(batch.features(), batch.labels(), batch.size());
 *     }
 * }
 * }</pre>
 *
 * <p>A Batcher holds the position in the current epoch, so it serves one loop at a time.
 */
public final class Batcher {
    private final Samples samples;
    private final int batchSize;
    /** The training epochs' order, or null to visit the samples in order (evaluation). */
    private final EpochOrder epochOrder;
    private final boolean dropLast;
    /** The current epoch's order, refilled in place each epoch. */
    private final int[] order;
    private int epoch = -1;
    private int nextBatch;

    /**
     * @param shuffle  a new permutation every epoch from (seed, epoch), or the samples in order
     * @param dropLast leave out the last batch when it has fewer than batchSize samples
     * @param seed     the shuffling seed (unused without shuffle)
     */
    public Batcher(Samples samples, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this(samples, batchSize, shuffle ? EpochOrder.shuffled(samples.size(), seed) : null, dropLast);
    }

    private Batcher(Samples samples, int batchSize, EpochOrder epochOrder, boolean dropLast) {
        this.samples = Objects.requireNonNull(samples, "samples");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int length = epochOrder == null ? samples.size() : epochOrder.length();
        if (dropLast && length < batchSize) {
            throw new IllegalArgumentException("batch size " + batchSize + " is more than the " + length
                    + " samples, and the last partial batch is dropped: an epoch would have no batch");
        }
        this.batchSize = batchSize;
        this.epochOrder = epochOrder;
        this.dropLast = dropLast;
        this.order = new int[length];
    }

    /** Shuffled every epoch, last partial batch dropped. */
    public static Batcher forTraining(Samples samples, int batchSize, long seed) {
        return new Batcher(samples, batchSize, true, true, seed);
    }

    /** P×K batches ({@link ClassBalancedOrder}): each of P distinct classes with K samples, batch P·K. */
    public static Batcher classBalanced(Samples samples, ClassBalancedOrder order) {
        return new Batcher(samples, order.batchSize(), order, true);
    }

    /** In order, last partial batch kept. */
    public static Batcher forEvaluation(Samples samples, int batchSize) {
        return new Batcher(samples, batchSize, null, false);
    }

    /** The number of batches {@link #next} gives in a whole epoch. */
    public int batchesPerEpoch() {
        int n = order.length;
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public Samples samples() {
        return samples;
    }

    /** Arrays for one batch, to pass to every {@link #next}. */
    public Batch newBatch() {
        return new Batch(batchSize, samples.dim());
    }

    /** Starts epoch {@code epoch} (from 0) at its first batch. */
    public void startEpoch(int epoch) {
        startEpoch(epoch, 0);
    }

    /**
     * Starts epoch {@code epoch} at batch {@code firstBatch}: the batches a run stopped after
     * {@code firstBatch} batches of this epoch had not seen yet, in the same order.
     */
    public void startEpoch(int epoch, int firstBatch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epochs count from 0, got " + epoch);
        }
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("first batch " + firstBatch + " is outside 0.." + batchesPerEpoch());
        }
        if (epochOrder != null) {
            epochOrder.fill(epoch, order);
        } else if (this.epoch < 0) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
        this.epoch = epoch;
        this.nextBatch = firstBatch;
    }

    /** Fills {@code batch} with the epoch's next batch; false, leaving it untouched, when the epoch is over. */
    public boolean next(Batch batch) {
        if (epoch < 0) {
            throw new IllegalStateException("call startEpoch before next");
        }
        if (batch.capacity() != batchSize || batch.dim() != samples.dim()) {
            throw new IllegalArgumentException("batch of " + batch.capacity() + " × " + batch.dim() + " does not fit batches of "
                    + batchSize + " × " + samples.dim() + "; make it with this Batcher's newBatch()");
        }
        if (nextBatch >= batchesPerEpoch()) {
            return false;
        }
        int start = nextBatch * batchSize;
        int count = Math.min(batchSize, order.length - start);
        System.arraycopy(order, start, batch.indices(), 0, count);
        samples.features(batch.indices(), count, batch.features());
        samples.labels(batch.indices(), count, batch.labels());
        batch.filled(count, epoch, nextBatch);
        nextBatch++;
        return true;
    }
}
