package org.arcgrad.arcface.nn;

import java.util.Random;

/** Draws a tensor's initial values (row-major) from a seeded random source; see {@link Init} for the usual ones. */
@FunctionalInterface
public interface Initializer {
    float[] values(int[] shape, Random random);
}
