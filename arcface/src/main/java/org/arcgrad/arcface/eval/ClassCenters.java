package org.arcgrad.arcface.eval;

import java.util.Arrays;

/**
 * One unit vector per class: the mean of the class's L2-normalized training embeddings, normalized
 * again. Normalizing each embedding first makes every sample count equally, whatever its norm
 * (margin-loss embeddings are compared by angle only). Sums are fp64.
 */
public final class ClassCenters {
    private final int[] labels;      // ascending
    private final double[][] centers; // centers[k] belongs to labels[k]

    private ClassCenters(int[] labels, double[][] centers) {
        this.labels = labels;
        this.centers = centers;
    }

    /** The centers of the classes present in {@code train}. */
    public static ClassCenters of(Embeddings train) {
        if (train.count() == 0) {
            throw new IllegalArgumentException("class centers: the training set is empty");
        }
        UnitRows rows = train.unitRows();
        int[] labels = train.distinctLabels();
        double[][] sums = new double[labels.length][train.dim()];
        for (int i = 0; i < train.count(); i++) {
            rows.addRowTo(i, sums[Arrays.binarySearch(labels, train.label(i))]);
        }
        for (double[] sum : sums) {
            double norm = 0;
            for (double v : sum) {
                norm += v * v;
            }
            double inverse = 1.0 / Math.max(Math.sqrt(norm), UnitRows.NORM_EPS);
            for (int k = 0; k < sum.length; k++) {
                sum[k] *= inverse;
            }
        }
        return new ClassCenters(labels, sums);
    }

    /** The class labels that have a center, ascending. */
    public int[] labels() {
        return labels.clone();
    }

    public int dim() {
        return centers.length == 0 ? 0 : centers[0].length;
    }

    /** Whether {@code label} has a center. */
    public boolean has(int label) {
        return Arrays.binarySearch(labels, label) >= 0;
    }

    /** A copy of the unit center of {@code label}. */
    public double[] center(int label) {
        int k = Arrays.binarySearch(labels, label);
        if (k < 0) {
            throw new IllegalArgumentException("no class center for label " + label);
        }
        return centers[k].clone();
    }

    /**
     * The label whose center has the largest cosine with row {@code i} of {@code rows}; on an exact
     * tie the smallest such label, so that the answer never depends on iteration order.
     */
    public int nearest(UnitRows rows, int i) {
        int best = 0;
        double bestCosine = rows.dot(i, centers[0]);
        for (int k = 1; k < centers.length; k++) {
            double c = rows.dot(i, centers[k]);
            if (c > bestCosine) {
                bestCosine = c;
                best = k;
            }
        }
        return labels[best];
    }
}
