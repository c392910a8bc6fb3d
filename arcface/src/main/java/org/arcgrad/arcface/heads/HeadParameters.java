package org.arcgrad.arcface.heads;

/**
 * Constructor checks shared by the margin heads. Each failure is an IllegalArgumentException whose
 * message names the head, the parameter, the allowed range and the value given, so a bad
 * configuration fails where it is written instead of as NaN logits later.
 */
final class HeadParameters {
    private HeadParameters() {
    }

    /** The scale s: finite and > 0 (the logits are s · cosine). */
    static void requireScale(String head, double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(head + ": s must be a finite number > 0, got " + s);
        }
    }

    /** lo ≤ value < hi, with the reason for the bounds. NaN fails. */
    static void requireInRange(String head, String name, double value, double lo, double hi, String bounds, String why) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(head + ": " + name + " must be in " + bounds + " (" + why + "), got " + value);
        }
    }

    /** value ≥ min for an integer parameter. */
    static void requireAtLeast(String head, String name, long value, long min, String why) {
        if (value < min) {
            throw new IllegalArgumentException(head + ": " + name + " must be an integer ≥ " + min + " (" + why + "), got " + value);
        }
    }
}
