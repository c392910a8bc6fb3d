package org.arcgrad.arcface.nn;

import java.util.SplittableRandom;

/**
 * Dropout masks from (seed, step, mask name) alone, so a resumed run draws the same masks as an
 * uninterrupted one without saving any generator state.
 */
public final class DropoutMasks {
    private DropoutMasks() {
    }

    /** {@code elements} values, each 0 with probability p and 1/(1 − p) otherwise. */
    public static float[] draw(long seed, long step, String name, double p, int elements) {
        SplittableRandom random = new SplittableRandom(seed ^ (step * 0xBF58476D1CE4E5B9L) ^ ((long) name.hashCode() << 32));
        float keep = (float) (1 / (1 - p));
        float[] mask = new float[elements];
        for (int i = 0; i < elements; i++) {
            mask[i] = random.nextDouble() < p ? 0 : keep;
        }
        return mask;
    }
}
