package org.arcgrad.arcface.eval;

import java.util.Arrays;

/**
 * The similarity threshold that best separates same-class from different-class pairs: a pair is
 * predicted same-class when its score is strictly above the threshold.
 *
 * <p>Accuracy only changes where the threshold crosses a score, so the search is exact, not over a
 * grid (insightface scans a fixed grid of 400 squared-distance thresholds, 0.01 apart, and takes
 * the first maximum; an exact search finds at least the grid's training accuracy). With the
 * distinct scores sorted, v₁ &lt; … &lt; v_m, the candidates are the midpoints of neighbouring scores,
 * plus v₁ − 1 (all predicted same) and v_m + 1 (all predicted different); as if virtual scores
 * v₀ = v₁ − 2 and v_{m+1} = v_m + 2 bounded the list. Ties are broken so the threshold sits in the
 * middle of the gap it chooses: consecutive maximizing candidates form a plateau (they are
 * separated only by scores where as many same- as different-class pairs sit, so crossing them
 * changes nothing), the plateau spans the open interval between the score just below its first
 * candidate and the score just above its last, and the threshold is that interval's midpoint. Of
 * several plateaus the widest wins (the largest margin to the nearest scores), and of equally wide
 * ones the lowest.
 */
public final class ThresholdSearch {
    private ThresholdSearch() {
    }

    /** A chosen threshold and the accuracy it reaches on the pairs it was chosen on. */
    public record Choice(double threshold, double accuracy) {
    }

    /** The best threshold for {@code scores} with same-class flags {@code same} (equal lengths, not empty). */
    public static Choice best(double[] scores, boolean[] same) {
        if (scores.length != same.length || scores.length == 0) {
            throw new IllegalArgumentException("threshold search: " + scores.length + " scores and "
                    + same.length + " labels; need equally many, at least one");
        }
        int positives = 0;
        for (boolean s : same) {
            positives += s ? 1 : 0;
        }
        double[] pos = new double[positives];
        double[] neg = new double[scores.length - positives];
        for (int i = 0, p = 0, q = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("threshold search: score " + i + " is " + scores[i]);
            }
            if (same[i]) {
                pos[p++] = scores[i];
            } else {
                neg[q++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);

        // Distinct values v_1..v_m (index 1..m) with virtual bounds at 0 and m+1; correct[i] is the
        // number of correct predictions for the candidate between v_i and v_{i+1}.
        double[] values = new double[scores.length + 2];
        int[] correct = new int[scores.length + 1];
        int m = 0;
        correct[0] = positives; // below every score: all predicted same
        int p = 0;
        int q = 0;
        while (p < pos.length || q < neg.length) {
            double v = q == neg.length || (p < pos.length && pos[p] <= neg[q]) ? pos[p] : neg[q];
            int atP = 0;
            int atQ = 0;
            while (p < pos.length && pos[p] == v) {
                p++;
                atP++;
            }
            while (q < neg.length && neg[q] == v) {
                q++;
                atQ++;
            }
            m++;
            values[m] = v;
            // Moving the threshold past v: same-class pairs at v turn wrong, different-class right.
            correct[m] = correct[m - 1] - atP + atQ;
        }
        values[0] = values[1] - 2;
        values[m + 1] = values[m] + 2;

        int best = correct[0];
        for (int i = 1; i <= m; i++) {
            best = Math.max(best, correct[i]);
        }
        double bestWidth = -1;
        double lower = 0;
        double upper = 0;
        for (int i = 0; i <= m; ) {
            if (correct[i] != best) {
                i++;
                continue;
            }
            int end = i;
            while (end + 1 <= m && correct[end + 1] == best) {
                end++;
            }
            double width = values[end + 1] - values[i];
            if (width > bestWidth) {
                bestWidth = width;
                lower = values[i];
                upper = values[end + 1];
            }
            i = end + 1;
        }
        double threshold = lower + (upper - lower) / 2;
        if (threshold >= upper) {
            // Neighbouring doubles: the midpoint rounded up onto the upper score, which would then
            // count as "not above". The lower score itself predicts exactly as the plateau does.
            threshold = lower;
        }
        return new Choice(threshold, (double) best / scores.length);
    }

    /** Fraction of pairs in [from, to) predicted right at {@code threshold} (same-class iff score > threshold). */
    public static double accuracy(double threshold, double[] scores, boolean[] same, int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("accuracy of an empty range [" + from + ", " + to + ")");
        }
        int right = 0;
        for (int i = from; i < to; i++) {
            if ((scores[i] > threshold) == same[i]) {
                right++;
            }
        }
        return (double) right / (to - from);
    }
}
