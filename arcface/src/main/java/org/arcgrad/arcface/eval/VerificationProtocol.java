package org.arcgrad.arcface.eval;

/**
 * The numbers of an LFW-style verification run: how many pairs, in how many folds, drawn with which
 * seed, and the false-accept rate at which the true-accept rate is reported. {@link #lfw(long)} is
 * the LFW "view 2" layout: 6 000 pairs in 10 folds of 300 same-class and 300 different-class pairs.
 *
 * @param pairs     total pairs, half same-class and half different-class; a multiple of 2·folds so
 *                  that every fold holds the same number of each
 * @param folds     cross-validation folds (≥ 2)
 * @param seed      seed of the pair draw; the same seed and labels give the same pairs
 * @param farTarget false-accept rate for {@link TarAtFar}, in (0, 1)
 */
public record VerificationProtocol(int pairs, int folds, long seed, double farTarget) {
    public static final int LFW_PAIRS = 6000;
    public static final int LFW_FOLDS = 10;
    public static final double DEFAULT_FAR = 1e-3;

    public VerificationProtocol {
        if (folds < 2) {
            throw new IllegalArgumentException("verification needs at least 2 folds, got " + folds);
        }
        if (pairs <= 0 || pairs % (2 * folds) != 0) {
            throw new IllegalArgumentException("verification pairs must be a positive multiple of 2 × folds = "
                    + 2 * folds + " (balanced folds), got " + pairs);
        }
        if (!(farTarget > 0 && farTarget < 1)) {
            throw new IllegalArgumentException("FAR target must be in (0, 1), got " + farTarget);
        }
    }

    /** 6 000 pairs, 10 folds, TAR at FAR = 1e-3. */
    public static VerificationProtocol lfw(long seed) {
        return new VerificationProtocol(LFW_PAIRS, LFW_FOLDS, seed, DEFAULT_FAR);
    }

    /** Same-class pairs in one fold (as many different-class ones). */
    public int positivesPerFold() {
        return pairs / (2 * folds);
    }

    public int foldSize() {
        return pairs / folds;
    }
}
