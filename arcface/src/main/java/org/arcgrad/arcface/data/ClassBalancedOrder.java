package org.arcgrad.arcface.data;

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
    /** The sample indices grouped by label, ascending within each: label l's are byLabel[start[l] .. start[l + 1]). */
    private final int[] byLabel;
    private final int[] start;
    /** The labels that have samples, ascending. */
    private final int[] labels;
    private final int batches;
    /** byLabel's copy that an epoch shuffles class by class (kept: the data may have millions of samples). */
    private final int[] shuffled;

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
        int[] sampleLabels = new int[n];
        for (int i = 0; i < n; i++) {
            sampleLabels[i] = i;
        }
        samples.labels(sampleLabels.clone(), sampleLabels);
        start = new int[samples.classes() + 1];
        for (int l : sampleLabels) {
            start[l + 1]++;
        }
        int present = 0;
        for (int c = 0; c < samples.classes(); c++) {
            int size = start[c + 1];
            if (size > 0 && size < samplesPerClass) {
                throw new IllegalArgumentException("class " + c + " (" + samples.className(c) + ") has " + size
                        + " training samples, fewer than the " + samplesPerClass + " a P×K batch takes of each class");
            }
            present += size > 0 ? 1 : 0;
            start[c + 1] += start[c];
        }
        if (present < classesPerBatch) {
            throw new IllegalArgumentException("a P×K batch takes " + classesPerBatch + " classes, and the training set has " + present);
        }
        labels = new int[present];
        for (int c = 0, k = 0; c < samples.classes(); c++) {
            if (start[c + 1] > start[c]) {
                labels[k++] = c;
            }
        }
        byLabel = new int[n];
        int[] next = java.util.Arrays.copyOf(start, samples.classes());
        for (int i = 0; i < n; i++) {
            byLabel[next[sampleLabels[i]]++] = i;
        }
        shuffled = new int[n];
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
        System.arraycopy(byLabel, 0, shuffled, 0, byLabel.length);
        int[] next = new int[labels.length]; // how many of its shuffled samples each class has given
        for (int label : labels) {
            shuffleClass(label, random);
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
                int label = labels[k];
                if (start[label + 1] - start[label] - next[k] < samplesPerClass) {
                    shuffleClass(label, random);
                    next[k] = 0;
                }
                System.arraycopy(shuffled, start[label] + next[k], order, at, samplesPerClass);
                next[k] += samplesPerClass;
                at += samplesPerClass;
            }
        }
    }

    /** Fisher–Yates from the end over one class's samples in {@link #shuffled}. */
    private void shuffleClass(int label, SplitMix64 random) {
        random.shuffle(shuffled, start[label], start[label + 1]);
    }
}
