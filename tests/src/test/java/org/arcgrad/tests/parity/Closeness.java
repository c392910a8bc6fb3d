package org.arcgrad.tests.parity;

import java.util.Set;

/**
 * The relative error of an array against a reference, as the parity tests define it:
 * max over elements of |a − b| / max(|b|, 0.01·max|b|). The floor keeps elements that are tiny
 * next to the rest of the array (a gradient entry of 1e-9 beside entries of 1) from dominating;
 * NaN or infinity in {@code a} is an infinite error. Rows listed in {@code skipRows} are left out
 * (they are checked by their own, separately stated bound).
 */
final class Closeness {
    private Closeness() {
    }

    static double relativeError(double[] a, double[] b, int rowLength, Set<Integer> skipRows) {
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            if (!skipRows.contains(i / rowLength) && Double.isFinite(b[i])) {
                scale = Math.max(scale, Math.abs(b[i]));
            }
        }
        double floor = Math.max(0.01 * scale, Double.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (skipRows.contains(i / rowLength)) {
                continue;
            }
            if (!Double.isFinite(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
        }
        return worst;
    }

    /** Largest |a − b| over the listed rows. */
    static double absoluteErrorInRows(double[] a, double[] b, int rowLength, Set<Integer> rows) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (rows.contains(i / rowLength)) {
                worst = Double.isFinite(a[i]) ? Math.max(worst, Math.abs(a[i] - b[i])) : Double.POSITIVE_INFINITY;
            }
        }
        return worst;
    }
}
