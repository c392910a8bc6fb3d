package org.arcgrad.arcface.data;

/**
 * One batch's arrays, made once by {@link Batcher#newBatch()} and refilled by every
 * {@link Batcher#next(Batch)}, so a training loop allocates nothing per batch. Only the first
 * {@link #size()} rows are this batch's: a last partial batch (evaluation keeps it) leaves the rows
 * after it as they were.
 */
public final class Batch {
    private final int[] indices;
    private final float[] features;
    private final int[] labels;
    private final int dim;
    private int size;
    private int epoch = -1;
    private int number = -1;

    Batch(int capacity, int dim) {
        this.indices = new int[capacity];
        this.features = new float[Math.multiplyExact(capacity, dim)];
        this.labels = new int[capacity];
        this.dim = dim;
    }

    /** Rows filled by the last {@link Batcher#next}: the batch size, or fewer for a last partial batch. */
    public int size() {
        return size;
    }

    /** The most rows a batch holds. */
    public int capacity() {
        return labels.length;
    }

    public int dim() {
        return dim;
    }

    /** Features, row-major capacity × dim; rows 0 .. size()−1 are this batch's. */
    public float[] features() {
        return features;
    }

    /** Labels; entries 0 .. size()−1 are this batch's. */
    public int[] labels() {
        return labels;
    }

    /** Which samples the rows are; entries 0 .. size()−1 are this batch's. */
    public int[] indices() {
        return indices;
    }

    /** The epoch this batch belongs to. */
    public int epoch() {
        return epoch;
    }

    /** The batch's number within its epoch, from 0. */
    public int number() {
        return number;
    }

    void filled(int size, int epoch, int number) {
        this.size = size;
        this.epoch = epoch;
        this.number = number;
    }
}
