package org.arcgrad.arcface.eval;

import java.util.Arrays;

/**
 * True-accept rate at a target false-accept rate, over all pairs at once (not cross-validated):
 * with N₋ different-class pairs, at most k = ⌊FAR·N₋⌋ of them may be accepted, so the threshold
 * is the (k+1)-th largest different-class cosine and a pair is accepted when its cosine is
 * strictly above it (ties at the threshold are rejected, so the achieved FAR is ≤ the target).
 * TAR is the fraction of same-class pairs accepted. This differs from insightface's
 * {@code calculate_val}, which interpolates a threshold per fold on the other folds; with 3 000
 * different-class pairs FAR = 1e-3 allows 3 false accepts, so the number is coarse either way and
 * is reported as an extra, beside the cross-validated accuracy.
 *
 * @param farTarget the false-accept rate asked for
 * @param tar       fraction of same-class pairs accepted
 * @param far       fraction of different-class pairs accepted (≤ farTarget)
 * @param threshold the cosine threshold used
 */
public record TarAtFar(double farTarget, double tar, double far, double threshold) {

    public static TarAtFar of(double[] positiveScores, double[] negativeScores, double farTarget) {
        if (positiveScores.length == 0 || negativeScores.length == 0) {
            throw new IllegalArgumentException("TAR@FAR needs pairs of both kinds");
        }
        double[] neg = negativeScores.clone();
        Arrays.sort(neg);
        // Tiny relative slack: FAR·N₋ = 3 must not become 2.9999999999999996 and lose a false accept.
        int allowed = (int) Math.floor(farTarget * neg.length * (1 + 1e-12));
        double threshold = allowed >= neg.length ? Math.nextDown(neg[0]) : neg[neg.length - 1 - allowed];
        int falseAccepts = 0;
        for (double s : neg) {
            falseAccepts += s > threshold ? 1 : 0;
        }
        int trueAccepts = 0;
        for (double s : positiveScores) {
            trueAccepts += s > threshold ? 1 : 0;
        }
        return new TarAtFar(farTarget, (double) trueAccepts / positiveScores.length,
                (double) falseAccepts / neg.length, threshold);
    }
}
