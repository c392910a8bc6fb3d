package org.arcgrad.autodiff;

/**
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator of the random ops: the i-th number is a pure function of (i, stream,
 * seed), so every backend and every work-item computes it independently and gets the same bits.
 * The OpenCL rendering repeats these rounds word for word.
 */
public final class Philox {
    public static final int M0 = 0xD2511F53;
    public static final int M1 = 0xCD9E8D57;
    public static final int W0 = 0x9E3779B9;
    public static final int W1 = 0xBB67AE85;
    public static final int ROUNDS = 10;

    private Philox() {
    }

    /** The four output words for counter (c0, c1, c2, c3) and key (k0, k1), as unsigned 32-bit values in ints. */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int r = 0; r < ROUNDS; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** The draw of element {@code index} of {@code stream} under {@code seed}: counter (index, stream, 0, 0), key (seed, 0). */
    public static int[] draw(int index, int stream, int seed) {
        return block(index, stream, 0, 0, seed, 0);
    }

    /** The top 24 bits of {@code word} times 2⁻²⁴: uniform in [0, 1), exact in fp32. */
    public static double uniform(int word) {
        return (word >>> 8) * 0x1p-24;
    }

    /** Box–Muller: sqrt(−2 ln u1) · cos(2π u2), u1 in (0, 1] (never log 0) from one word, u2 in [0, 1) from another. */
    public static double normal(int word1, int word2) {
        double u1 = ((word1 >>> 8) + 1) * 0x1p-24;
        double u2 = uniform(word2);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
