package org.arcgrad.arcface.data;

/**
 * The order in which one epoch visits the samples: a permutation that depends only on the run's
 * seed and the epoch number, never on earlier epochs, so a run resumed at epoch k shuffles exactly
 * like one that never stopped.
 *
 * <p>Definition: start from 0, 1, …, n−1 and run Fisher–Yates from the end (for i = n−1 down to 1,
 * swap element i with element nextInt(i + 1)) on the {@link SplitMix64} stream keyed by
 * (seed, {@value #SHUFFLE_PURPOSE}, epoch).
 */
public final class EpochPermutation {
    /** Separates the shuffling streams from the other streams drawn from the same seed. */
    static final long SHUFFLE_PURPOSE = 0x5348554646L; // "SHUFF"

    private EpochPermutation() {
    }

    /** Fills {@code order} with the permutation of 0 .. order.length−1 for {@code (seed, epoch)}. */
    public static void fill(long seed, int epoch, int[] order) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        new SplitMix64(SplitMix64.key(seed, SHUFFLE_PURPOSE, epoch)).shuffle(order);
    }

    /** The permutation of 0 .. n−1 for {@code (seed, epoch)}, in a new array. */
    public static int[] of(long seed, int epoch, int n) {
        int[] order = new int[n];
        fill(seed, epoch, order);
        return order;
    }
}
