package org.arcgrad.arcface.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The P×K sampler of pair losses: every batch holds K samples of each of P distinct classes, so
 * every sample in it has K − 1 positives and (P − 1)·K negatives. An epoch is ⌊n / (P·K)⌋ such
 * batches, about one pass over the data.
 *
 * <p>Definition, for epoch e, on the {@link SplitMix64} stream keyed by (seed,
 * {@value #PURPOSE}, e): each class's samples are shuffled (Fisher–Yates from the end, classes in
 * ascending label order); then batch by batch, the P classes are the first P of a partial
 * Fisher–Yates from the front over the class list (so uniform, and distinct), and each picked class
 * gives the next K of its shuffled samples, reshuffled first when fewer than K are left. Within an
 * epoch no sample repeats before its class has given all its samples, and never within a batch.
 */
public final class ClassBalancedOrder implements EpochOrder {
    /** Separates this stream from the other streams drawn from the same seed. */
    static final long PURPOSE = 0x504B53414DL; // "PKSAM"

    private final int classesPerBatch;
    private final int samplesPerClass;
    private final long seed;
    private final int[] labels;      // the labels that have samples, ascending
    private final int[][] members;   // members[k]: the sample indices of labels[k], ascending
    private final int batches;

    /**
     * @throws IllegalArgumentException when P or K is below 2, the samples have fewer than P labels, or a
     *                                  label has fewer than K samples
     */
    public ClassBalancedOrder(Samples samples, int classesPerBatch, int samplesPerClass, long seed) {
        if (classesPerBatch < 2 || samplesPerClass < 2) {
            throw new IllegalArgumentException("a P×K batch needs P ≥ 2 classes and K ≥ 2 samples of each (a positive and a"
                    + " negative for every sample), got P = " + classesPerBatch + ", K = " + samplesPerClass);
        }
        this.classesPerBatch = classesPerBatch;
        this.samplesPerClass = samplesPerClass;
        this.seed = seed;
        int n = samples.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int[] sampleLabels = new int[n];
        samples.labels(all, sampleLabels);
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int c = 0; c < samples.classes(); c++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byLabel.get(sampleLabels[i]).add(i);
        }
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < byLabel.size(); c++) {
            int size = byLabel.get(c).size();
            if (size > 0 && size < samplesPerClass) {
                throw new IllegalArgumentException("class " + c + " (" + samples.className(c) + ") has " + size
                        + " training samples, fewer than the " + samplesPerClass + " a P×K batch takes of each class");
            }
            if (size > 0) {
                present.add(c);
            }
        }
        if (present.size() < classesPerBatch) {
            throw new IllegalArgumentException("a P×K batch takes " + classesPerBatch + " classes, and the training set has "
                    + present.size());
        }
        labels = present.stream().mapToInt(Integer::intValue).toArray();
        members = new int[labels.length][];
        for (int k = 0; k < labels.length; k++) {
            members[k] = byLabel.get(labels[k]).stream().mapToInt(Integer::intValue).toArray();
        }
        batches = n / batchSize(); // ≥ 1: P classes of ≥ K samples each
    }

    /** P·K, the samples of one batch. */
    public int batchSize() {
        return classesPerBatch * samplesPerClass;
    }

    @Override
    public int length() {
        return batches * batchSize();
    }

    @Override
    public void fill(int epoch, int[] order) {
        if (order.length != length()) {
            throw new IllegalArgumentException("order holds " + order.length + " positions, an epoch " + length());
        }
        SplitMix64 random = new SplitMix64(SplitMix64.key(seed, PURPOSE, epoch));
        int[][] shuffled = new int[members.length][];
        int[] next = new int[members.length];
        for (int k = 0; k < members.length; k++) {
            shuffled[k] = members[k].clone();
            random.shuffle(shuffled[k]);
        }
        int[] classes = new int[labels.length]; // positions into labels, permuted in place batch by batch
        for (int k = 0; k < classes.length; k++) {
            classes[k] = k;
        }
        int at = 0;
        for (int b = 0; b < batches; b++) {
            for (int j = 0; j < classesPerBatch; j++) {
                int r = j + random.nextInt(classes.length - j);
                int t = classes[j];
                classes[j] = classes[r];
                classes[r] = t;
                int k = classes[j];
                if (shuffled[k].length - next[k] < samplesPerClass) {
                    random.shuffle(shuffled[k]);
                    next[k] = 0;
                }
                System.arraycopy(shuffled[k], next[k], order, at, samplesPerClass);
                next[k] += samplesPerClass;
                at += samplesPerClass;
            }
        }
    }
}
