package org.arcgrad.arcface.eval;

import java.util.Arrays;

/**
 * Embeddings of a data set as the model produces them: {@code count} rows of {@code dim} floats,
 * row-major, each with an integer class label. Checked once here so that every evaluation can
 * trust its input: a NaN or infinite value (a diverged model) is refused with its row and
 * column, rather than silently turned into a meaningless accuracy.
 *
 * <p>The arrays are not copied: the caller must not change them while an evaluation runs.
 */
public final class Embeddings {
    private final float[] values;
    private final int dim;
    private final int[] labels;

    private Embeddings(float[] values, int dim, int[] labels) {
        this.values = values;
        this.dim = dim;
        this.labels = labels;
    }

    /**
     * @param values row-major {@code labels.length × dim} values
     * @param dim    the embedding size E
     * @param labels one class label (≥ 0) per row
     */
    public static Embeddings of(float[] values, int dim, int[] labels) {
        if (dim <= 0) {
            throw new IllegalArgumentException("embedding size must be positive, got " + dim);
        }
        if ((long) labels.length * dim != values.length) {
            throw new IllegalArgumentException("embeddings: " + values.length + " values are not "
                    + labels.length + " labels × " + dim + " columns");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("embeddings: row " + i / dim + ", column " + i % dim
                        + " is " + values[i] + "; a model that produces non-finite embeddings has diverged");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("embeddings: label of row " + i + " is " + labels[i] + ", labels must be ≥ 0");
            }
        }
        return new Embeddings(values, dim, labels);
    }

    /** Number of rows N. */
    public int count() {
        return labels.length;
    }

    /** Embedding size E. */
    public int dim() {
        return dim;
    }

    /** Label of row {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The distinct labels, ascending. */
    public int[] distinctLabels() {
        return Arrays.stream(labels).distinct().sorted().toArray();
    }

    /** The rows L2-normalized in fp64. */
    public UnitRows unitRows() {
        return UnitRows.of(values, dim, labels.length);
    }
}
