package org.arcgrad.arcface.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Outcome of {@link ClosedSetAccuracy}: overall and per-class counts of correct assignments. */
public final class ClosedSetResult {
    private final int[] labels;  // test classes, ascending
    private final int[] total;   // test samples per class
    private final int[] correct; // correctly assigned per class
    private final int trainSamples;
    private final int centers;

    ClosedSetResult(int[] labels, int[] total, int[] correct, int trainSamples, int centers) {
        this.labels = labels;
        this.total = total;
        this.correct = correct;
        this.trainSamples = trainSamples;
        this.centers = centers;
    }

    /** Fraction of test samples assigned their own class. */
    public double accuracy() {
        return (double) correct() / testSamples();
    }

    public int correct() {
        return Arrays.stream(correct).sum();
    }

    public int testSamples() {
        return Arrays.stream(total).sum();
    }

    /** Training samples the centers came from, or −1 when the centers were given ready-made. */
    public int trainSamples() {
        return trainSamples;
    }

    /** Number of class centers the test samples were matched against (the candidate classes). */
    public int centerCount() {
        return centers;
    }

    /** The classes present in the test set, ascending. */
    public int[] testLabels() {
        return labels.clone();
    }

    public int classTotal(int label) {
        return total[index(label)];
    }

    public int classCorrect(int label) {
        return correct[index(label)];
    }

    /** Accuracy on the test samples of class {@code label}. */
    public double classAccuracy(int label) {
        int k = index(label);
        return (double) correct[k] / total[k];
    }

    /** Per-class accuracy, ascending label order, classes without test samples absent. */
    public Map<Integer, Double> perClassAccuracy() {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < labels.length; k++) {
            out.put(labels[k], (double) correct[k] / total[k]);
        }
        return Collections.unmodifiableMap(out);
    }

    private int index(int label) {
        int k = Arrays.binarySearch(labels, label);
        if (k < 0) {
            throw new IllegalArgumentException("class " + label + " has no test samples");
        }
        return k;
    }

    @Override
    public String toString() {
        return String.format("closed-set accuracy %.4f (%d/%d, %d classes)", accuracy(), correct(), testSamples(), centers);
    }
}
