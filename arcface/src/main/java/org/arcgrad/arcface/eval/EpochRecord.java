package org.arcgrad.arcface.eval;

/**
 * What one training epoch left behind. An accuracy that was not measured in this epoch (a trainer
 * may evaluate every few epochs only) is NaN; it is left out of the curves and written as null in
 * metrics.json. A NaN loss is kept as it is: it records a diverged run.
 *
 * @param epoch                1-based epoch number
 * @param loss                 mean training loss over the epoch's batches
 * @param testAccuracy         closed-set test accuracy after the epoch, in [0, 1], or NaN
 * @param verificationAccuracy mean verification accuracy after the epoch, in [0, 1], or NaN
 * @param seconds              wall-clock seconds of the epoch's training steps (evaluation excluded)
 */
public record EpochRecord(int epoch, double loss, double testAccuracy, double verificationAccuracy, double seconds) {
    public EpochRecord {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, got " + epoch);
        }
        checkAccuracy("test accuracy", testAccuracy);
        checkAccuracy("verification accuracy", verificationAccuracy);
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("epoch seconds must be finite and ≥ 0, got " + seconds);
        }
    }

    /** An epoch with only its loss and time: no evaluation ran after it. */
    public static EpochRecord unevaluated(int epoch, double loss, double seconds) {
        return new EpochRecord(epoch, loss, Double.NaN, Double.NaN, seconds);
    }

    private static void checkAccuracy(String name, double value) {
        if (!Double.isNaN(value) && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1] or NaN (not measured), got " + value);
        }
    }
}
