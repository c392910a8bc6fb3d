package org.arcgrad.arcface.train;

import java.util.function.Function;
import org.arcgrad.arcface.data.FirstClasses;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.eval.ClosedSetAccuracy;
import org.arcgrad.arcface.eval.ClosedSetResult;
import org.arcgrad.arcface.eval.Embeddings;
import org.arcgrad.arcface.eval.Verification;
import org.arcgrad.arcface.eval.VerificationPairs;
import org.arcgrad.arcface.eval.VerificationProtocol;
import org.arcgrad.arcface.eval.VerificationResult;
import org.arcgrad.opencl.runtime.DeviceBuffer;

/**
 * Measures a model after an epoch: closed-set accuracy on the test set (nearest class center
 * built from the training embeddings) and LFW-protocol verification on test pairs. The pairs are
 * drawn once, with a fixed seed independent of the run's, so every epoch and every run (and the
 * PyTorch benchmark peer) is scored on the same pairs. A set with more than {@value #MOST_CLASSES}
 * classes is scored on the samples of its first {@value #MOST_CLASSES} (training and test alike):
 * nearest-centre accuracy over a million classes would cost more than training.
 */
public final class Evaluator {
    /** Seed of the verification pairs: fixed, so runs with different seeds compare on the same pairs. */
    public static final long PAIRS_SEED = 42;
    /** The most classes an evaluation scores: the first ones, when a set has more. */
    public static final int MOST_CLASSES = 10_000;

    private final Samples train;
    private final Samples test;
    private final int[] trainLabels;
    private final int[] testLabels;
    private final VerificationPairs pairs;

    /** The outcome of one evaluation. */
    public record Result(ClosedSetResult closedSet, VerificationResult verification) {
    }

    public Evaluator(Samples train, Samples test) {
        this.train = FirstClasses.of(train, MOST_CLASSES);
        this.test = FirstClasses.of(test, MOST_CLASSES);
        this.trainLabels = labels(this.train);
        this.testLabels = labels(this.test);
        this.pairs = VerificationPairs.draw(testLabels, protocol(testLabels));
    }

    /** The classes scored: all of them, or the first {@value #MOST_CLASSES}. */
    public int classesScored() {
        return train.classes();
    }

    /**
     * The LFW protocol (6 000 pairs, 10 folds) when the test set has 3 000 distinct pairs of each
     * kind; otherwise as many balanced pairs as it has, still in 10 folds (metrics.json records
     * the number), so small test sets can be scored too.
     */
    static VerificationProtocol protocol(int[] labels) {
        java.util.Map<Integer, Long> perClass = new java.util.HashMap<>();
        for (int l : labels) {
            perClass.merge(l, 1L, Long::sum);
        }
        long n = labels.length;
        long same = 0;
        for (long c : perClass.values()) {
            same += c * (c - 1) / 2;
        }
        long different = n * (n - 1) / 2 - same;
        int folds = VerificationProtocol.LFW_FOLDS;
        long pairs = Math.min(VerificationProtocol.LFW_PAIRS, 2 * Math.min(same, different)) / (2 * folds) * (2 * folds);
        if (pairs < 2 * folds) {
            throw new IllegalArgumentException("verification: the test set has " + same + " same-class and " + different
                    + " different-class pairs, fewer than the " + folds + " of each that " + folds + " folds need");
        }
        return new VerificationProtocol((int) pairs, folds, PAIRS_SEED, VerificationProtocol.DEFAULT_FAR);
    }

    /** Embeds both sets with {@code embedder}, reading the weights from {@code buffers}, and scores them. */
    public Result evaluate(Embedder embedder, Function<String, DeviceBuffer> buffers) {
        float[] trainEmbeddings = embedder.embed(train, buffers);
        float[] testEmbeddings = embedder.embed(test, buffers);
        return score(trainEmbeddings, testEmbeddings, embedder.dim());
    }

    /** Scores embeddings made elsewhere (the benchmark's PyTorch peer), exactly as {@link #evaluate}. */
    public Result score(float[] trainEmbeddings, float[] testEmbeddings, int dim) {
        Embeddings trainSet = Embeddings.of(trainEmbeddings, dim, trainLabels);
        Embeddings testSet = Embeddings.of(testEmbeddings, dim, testLabels);
        ClosedSetResult closed = ClosedSetAccuracy.evaluate(trainSet, testSet);
        VerificationResult verification = Verification.evaluate(testSet.unitRows(), pairs);
        return new Result(closed, verification);
    }

    private static int[] labels(Samples s) {
        int[] indices = new int[s.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        int[] labels = new int[s.size()];
        s.labels(indices, labels);
        return labels;
    }
}
