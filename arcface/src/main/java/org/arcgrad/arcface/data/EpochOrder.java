package org.arcgrad.arcface.data;

/**
 * The samples a training epoch visits, in order: a function of the epoch number alone (and of the
 * seed it was made with), never of earlier epochs, so a run resumed at epoch k sees exactly the
 * batches of one that never stopped. {@link Batcher} cuts it into batches.
 */
public interface EpochOrder {
    /** How many sample positions an epoch holds (a multiple of the batch for {@link ClassBalancedOrder}). */
    int length();

    /** Fills {@code order} (of {@link #length()}) with the sample indices of epoch {@code epoch}, from 0. */
    void fill(int epoch, int[] order);

    /** Every sample once per epoch, in {@link EpochPermutation}'s order for (seed, epoch). */
    static EpochOrder shuffled(int samples, long seed) {
        return new EpochOrder() {
            @Override
            public int length() {
                return samples;
            }

            @Override
            public void fill(int epoch, int[] order) {
                EpochPermutation.fill(seed, epoch, order);
            }
        };
    }
}
