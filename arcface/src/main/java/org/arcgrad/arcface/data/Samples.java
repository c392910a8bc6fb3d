package org.arcgrad.arcface.data;

/**
 * Labelled feature vectors that training and evaluation read in batches, whatever holds them: an
 * in-memory {@link Dataset} (Fashion-MNIST) or {@link SyntheticIdentities}, which computes each
 * sample when it is asked for because a million classes would not fit in memory.
 *
 * <p>Samples are numbered 0 .. size()−1; each has {@link #dim()} float features and an integer
 * label in 0 .. classes()−1. The bulk methods fill arrays the caller owns and reuses, so a training
 * loop allocates nothing per batch.
 */
public interface Samples {
    /** The number of samples. */
    int size();

    /** Features per sample. */
    int dim();

    /** The number of classes; labels lie in 0 .. classes()−1. */
    int classes();

    /**
     * Writes the features of samples {@code indices[0 .. count)} into {@code into[0 .. count·dim)},
     * one row per sample, in the order of the indices.
     */
    void features(int[] indices, int count, float[] into);

    /** Writes the labels of samples {@code indices[0 .. count)} into {@code into[0 .. count)}. */
    void labels(int[] indices, int count, int[] into);

    /** {@link #features(int[], int, float[])} for all of {@code indices}. */
    default void features(int[] indices, float[] into) {
        features(indices, indices.length, into);
    }

    /** {@link #labels(int[], int, int[])} for all of {@code indices}. */
    default void labels(int[] indices, int[] into) {
        labels(indices, indices.length, into);
    }

    /** The images the features are, when they are ({@link ImageAugmentation} needs it); empty by default. */
    default java.util.Optional<ImageLayout> images() {
        return java.util.Optional.empty();
    }

    /** A human-readable name of a class, e.g. "Ankle boot"; by default its number. */
    default String className(int label) {
        return Integer.toString(label);
    }
}
