package org.arcgrad.arcface.data;

/**
 * The random numbers behind shuffling and synthetic data: SplitMix64 (Steele, Lea and Flood, 2014,
 * the generator inside {@link java.util.SplittableRandom}), written out here so that every stream
 * is fixed by this file rather than by a JDK version, and can be reproduced in another language.
 *
 * <p>A stream is keyed by a few longs (seed, purpose, ids), so any one of them, say the noise of
 * sample 3 of class 917 412, can be produced on its own without producing the ones before it. That
 * is what lets synthetic data be generated lazily and a resumed run shuffle like an uninterrupted one.
 */
final class SplitMix64 {
    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    /** The stream whose first value is {@code mix64(state + GOLDEN_GAMMA)}. */
    SplitMix64(long state) {
        this.state = state;
    }

    /** The state of the stream keyed by {@code (a, b)}. */
    static long key(long a, long b) {
        return absorb(absorb(0, a), b);
    }

    /** The state of the stream keyed by {@code (a, b, c)}. */
    static long key(long a, long b, long c) {
        return absorb(key(a, b), c);
    }

    /** The state of the stream keyed by {@code (a, b, c, d)}. */
    static long key(long a, long b, long c, long d) {
        return absorb(key(a, b, c), d);
    }

    /** One step of keying: order matters, and every bit of {@code k} reaches every bit of the result. */
    private static long absorb(long h, long k) {
        return mix64((h + GOLDEN_GAMMA) ^ k);
    }

    /** SplitMix64's finalizer (Stafford's variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1), 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in 0 .. bound−1, without modulo bias (rejection, as {@link java.util.Random#nextInt(int)}). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }

    /** Fisher–Yates from the end, in place: for i = n−1 down to 1, swap a[i] with a[nextInt(i + 1)]. */
    void shuffle(int[] a) {
        shuffle(a, 0, a.length);
    }

    /** {@link #shuffle(int[])} of the range a[from .. to) alone: i from to−1 down to from+1 swaps with from + nextInt(i − from + 1). */
    void shuffle(int[] a, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A standard normal by Marsaglia's polar method: u, v = 2·nextDouble() − 1 until
     * 0 < s = u² + v² < 1, then u·m and v·m with m = sqrt(−2·ln s / s), the second kept for the
     * next call. StrictMath, so the values are the same on every JVM and CPU.
     */
    double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * m;
        hasSpareGaussian = true;
        return u * m;
    }
}
