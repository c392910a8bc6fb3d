package org.arcgrad.arcface.eval;

/**
 * Counts of cosines in equal bins over [−1, 1], the same bins for every series so that histograms
 * overlay. Bin k holds [−1 + k·w, −1 + (k+1)·w) with w = 2 / bins; the last bin also holds 1, and
 * values a rounding step outside [−1, 1] (fp32 cosines can be) go to the end bins.
 */
public final class CosineHistogram {
    public static final int DEFAULT_BINS = 50;
    public static final double LOW = -1.0;
    public static final double HIGH = 1.0;

    private CosineHistogram() {
    }

    public static int[] counts(double[] cosines, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a histogram needs at least one bin, got " + bins);
        }
        int[] counts = new int[bins];
        for (double c : cosines) {
            if (Double.isNaN(c)) {
                throw new IllegalArgumentException("cannot bin a NaN cosine");
            }
            int k = (int) Math.floor((c - LOW) / (HIGH - LOW) * bins);
            counts[Math.max(0, Math.min(bins - 1, k))]++;
        }
        return counts;
    }

    /** The bins + 1 edges, from −1 to 1. */
    public static double[] edges(int bins) {
        double[] edges = new double[bins + 1];
        for (int k = 0; k <= bins; k++) {
            edges[k] = LOW + (HIGH - LOW) * k / bins;
        }
        return edges;
    }
}
