package org.arcgrad.arcface.nn;

import java.util.SplittableRandom;

/**
 * Dropout masks and other per-step random inputs (standard normal draws) from (seed, step, input
 * name) alone, so a resumed run draws the same values as an uninterrupted one without saving any
 * generator state.
 */
public final class DropoutMasks {
    private DropoutMasks() {
    }

    /** The stream of (seed, step, name). */
    private static SplittableRandom stream(long seed, long step, String name) {
        return new SplittableRandom(seed ^ (step * 0xBF58476D1CE4E5B9L) ^ ((long) name.hashCode() << 32));
    }

    /** {@code elements} standard normal values of (seed, step, name), for {@link Pass#normalDraws}. */
    public static float[] normal(long seed, long step, String name, int elements) {
        SplittableRandom random = stream(seed, step, name);
        float[] draws = new float[elements];
        for (int i = 0; i < elements; i++) {
            draws[i] = (float) random.nextGaussian();
        }
        return draws;
    }

    /** {@code elements} values, each 0 with probability p and 1/(1 − p) otherwise. */
    public static float[] draw(long seed, long step, String name, double p, int elements) {
        SplittableRandom random = stream(seed, step, name);
        float keep = (float) (1 / (1 - p));
        float[] mask = new float[elements];
        for (int i = 0; i < elements; i++) {
            mask[i] = random.nextDouble() < p ? 0 : keep;
        }
        return mask;
    }
}
