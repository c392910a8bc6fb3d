package org.arcgrad.arcface.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Which classes a Partial FC step computes its loss over (insightface's PartialFC_V2, An et al.,
 * "Partial FC", ICCV 2021 workshops): every class present in the batch, and, up to
 * {@code floor(rate · C)} classes in all, others drawn uniformly without replacement; the batch's
 * labels are renumbered to positions in the sorted sample. PartialFC_V2 draws a uniform number per
 * class, gives the positives 2.0 and keeps the top k, which is a uniform k-subset containing the
 * positives; this draws the same distribution directly (Floyd's algorithm over the classes not in
 * the batch), in time proportional to k rather than C, from a SplitMix64 stream keyed by
 * (seed, step), so a resumed run samples as an uninterrupted one. When the batch holds more
 * classes than k, the sample is exactly the batch's classes, as there.
 */
public final class PartialFcSampler {
    /** Sampled classes (sorted, distinct) and the batch's labels as positions in them. */
    public record Sample(int[] classes, int[] labels) {
    }

    private static final long PURPOSE = 0x50464353414D504CL; // "PFCSAMPL": this stream's key among the run's

    private final int classes;
    private final int perStep;
    private final long seed;

    /**
     * @param classes C
     * @param rate    the share of classes per step, in (0, 1] (insightface's sample_rate)
     * @param seed    the run's seed
     */
    public PartialFcSampler(int classes, double rate, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be ≥ 1, got " + classes);
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("the sample rate must be in (0, 1], got " + rate);
        }
        this.classes = classes;
        this.perStep = (int) (rate * classes); // int(sample_rate * num_local), as insightface
        this.seed = seed;
    }

    /** k = floor(rate · C): the classes a step computes, unless its batch holds more. */
    public int perStep() {
        return perStep;
    }

    /** The sample of step {@code step} for a batch with {@code labels}. */
    public Sample sample(int[] labels, long step) {
        int[] positives = Arrays.stream(labels).distinct().sorted().toArray();
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
            }
        }
        int[] chosen = positives;
        int wanted = perStep - positives.length;
        if (wanted > 0) {
            chosen = Arrays.copyOf(positives, perStep);
            int at = positives.length;
            for (int r : floyd(classes - positives.length, wanted, new SplitMix64(SplitMix64.key(seed, PURPOSE, step)))) {
                chosen[at++] = nthNegative(r, positives);
            }
            Arrays.sort(chosen);
        }
        int[] renumbered = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            renumbered[i] = Arrays.binarySearch(chosen, labels[i]); // torch.searchsorted on the sorted index
        }
        return new Sample(chosen, renumbered);
    }

    /** k distinct numbers of [0, n), every k-subset equally likely (Floyd, CACM 1987). */
    private static int[] floyd(int n, int k, SplitMix64 random) {
        Set<Integer> picked = new HashSet<>();
        int[] out = new int[k];
        int at = 0;
        for (int j = n - k; j < n; j++) {
            int t = random.nextInt(j + 1);
            int p = picked.add(t) ? t : j;
            if (p == j) {
                picked.add(j);
            }
            out[at++] = p;
        }
        return out;
    }

    /** The r-th class (from 0) that is not among the sorted {@code positives}. */
    private static int nthNegative(int r, int[] positives) {
        // the class c = r + (positives below c); find it by binary search over the positives
        int lo = 0;
        int hi = positives.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (positives[mid] - mid <= r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return r + lo;
    }
}
