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
        return relativeError(a, b, rowLength, r -> !skipRows.contains(r), scale(b, rowLength, skipRows));
    }

    /** Largest finite |b| outside {@code skipRows}: the array's scale, whose 1% is the floor. */
    static double scale(double[] b, int rowLength, Set<Integer> skipRows) {
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            if (!skipRows.contains(i / rowLength) && Double.isFinite(b[i])) {
                scale = Math.max(scale, Math.abs(b[i]));
            }
        }
        return scale;
    }

    /** The relative error over the rows {@code included} accepts, with the floor set by a given scale. */
    static double relativeError(double[] a, double[] b, int rowLength, java.util.function.IntPredicate included, double scale) {
        double floor = Math.max(0.01 * scale, Double.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (!included.test(i / rowLength)) {
                continue;
            }
            if (!Double.isFinite(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
        }
        return worst;
    }
}
