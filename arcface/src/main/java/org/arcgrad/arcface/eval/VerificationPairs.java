package org.arcgrad.arcface.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Pairs of test samples for verification, laid out in folds as LFW's {@code pairs.txt}: fold k
 * occupies positions [k·F, (k+1)·F) (F = pairs / folds), its first F/2 pairs same-class, its last
 * F/2 different-class.
 *
 * <p>The draw: same-class pairs are drawn uniformly from all unordered pairs {i, j}, i ≠ j, of
 * samples with equal labels, and different-class pairs uniformly from all unordered pairs with
 * different labels, each without repetition (a duplicate draw is redrawn). Uniform means over
 * pairs, not classes: a large class supplies more pairs, as it would in a list of random pairs.
 * The draw is exact, not by rejection on labels: a class is chosen with weight n_c(n_c − 1)
 * (same-class) or n_c(N − n_c) (different-class), the first sample uniformly in it, the second
 * uniformly among its allowed partners; every ordered pair is equally likely, so every unordered
 * one is. The random source is {@code java.util.Random(seed)} through its specified methods only
 * (the same pairs on every JDK); the k-th fold takes the k-th block
 * of the draws of each kind. A test set with too few distinct pairs of either kind is refused.
 */
public final class VerificationPairs {
    private final int[] first;
    private final int[] second;
    private final boolean[] same;
    private final VerificationProtocol protocol;
    private final int samples;

    private VerificationPairs(int[] first, int[] second, boolean[] same, VerificationProtocol protocol, int samples) {
        this.first = first;
        this.second = second;
        this.same = same;
        this.protocol = protocol;
        this.samples = samples;
    }

    /** Draws the pairs of {@code protocol} among samples with the given labels. */
    public static VerificationPairs draw(int[] labels, VerificationProtocol protocol) {
        int half = protocol.pairs() / 2;
        ClassIndex index = new ClassIndex(labels);
        long samePossible = index.unorderedPairs(true);
        long differentPossible = index.unorderedPairs(false);
        if (samePossible < half || differentPossible < half) {
            throw new IllegalArgumentException("verification: " + labels.length + " test samples in "
                    + index.classCount() + " classes give " + samePossible + " distinct same-class and "
                    + differentPossible + " distinct different-class pairs; the protocol needs " + half + " of each");
        }
        Random random = new Random(protocol.seed());
        Set<Long> seen = new HashSet<>();
        long[] positives = index.draw(true, half, random, seen);
        long[] negatives = index.draw(false, half, random, seen);

        int n = protocol.pairs();
        int perFold = protocol.positivesPerFold();
        int[] first = new int[n];
        int[] second = new int[n];
        boolean[] same = new boolean[n];
        int at = 0;
        for (int fold = 0; fold < protocol.folds(); fold++) {
            for (int kind = 0; kind < 2; kind++) {
                long[] source = kind == 0 ? positives : negatives;
                for (int k = fold * perFold; k < (fold + 1) * perFold; k++) {
                    first[at] = (int) (source[k] >>> 32);
                    second[at] = (int) source[k];
                    same[at] = kind == 0;
                    at++;
                }
            }
        }
        return new VerificationPairs(first, second, same, protocol, labels.length);
    }

    public VerificationProtocol protocol() {
        return protocol;
    }

    /** Number of samples the pairs were drawn among (their indices are below it). */
    public int sampleCount() {
        return samples;
    }

    public int size() {
        return same.length;
    }

    /** Smaller sample index of pair {@code p}. */
    public int first(int p) {
        return first[p];
    }

    /** Larger sample index of pair {@code p}. */
    public int second(int p) {
        return second[p];
    }

    /** Whether pair {@code p} is same-class. */
    public boolean same(int p) {
        return same[p];
    }

    /** A copy of the same-class flags, in pair order. */
    public boolean[] sameFlags() {
        return same.clone();
    }

    /** Fold of pair {@code p}. */
    public int fold(int p) {
        return p / protocol.foldSize();
    }

    /** Cosine of each pair, in pair order. */
    public double[] cosines(UnitRows rows) {
        if (rows.count() != samples) {
            throw new IllegalArgumentException("verification pairs were drawn among " + samples
                    + " samples, but the embeddings have " + rows.count() + " rows");
        }
        double[] out = new double[size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = rows.cosine(first[p], second[p]);
        }
        return out;
    }

    /** Samples grouped by class, for drawing pairs of either kind. */
    private static final class ClassIndex {
        private final int[] bySample; // sample indices, class-major, ascending label
        private final int[] start;    // start[c] = offset of class c in bySample; start[C] = N
        private final int n;

        ClassIndex(int[] labels) {
            n = labels.length;
            int[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
            start = new int[distinct.length + 1];
            for (int label : labels) {
                start[Arrays.binarySearch(distinct, label) + 1]++;
            }
            for (int c = 0; c < distinct.length; c++) {
                start[c + 1] += start[c];
            }
            int[] fill = Arrays.copyOf(start, distinct.length);
            bySample = new int[n];
            for (int i = 0; i < n; i++) {
                bySample[fill[Arrays.binarySearch(distinct, labels[i])]++] = i;
            }
        }

        int classCount() {
            return start.length - 1;
        }

        private long size(int c) {
            return start[c + 1] - start[c];
        }

        /** Ordered pairs a class contributes: n_c(n_c − 1) same-class or n_c(N − n_c) different-class. */
        private long orderedWeight(int c, boolean sameClass) {
            return size(c) * (sameClass ? size(c) - 1 : n - size(c));
        }

        long unorderedPairs(boolean sameClass) {
            long sum = 0;
            for (int c = 0; c < classCount(); c++) {
                sum += orderedWeight(c, sameClass);
            }
            return sum / 2;
        }

        /** {@code count} distinct unordered pairs, each packed as (smaller index) << 32 | larger. */
        long[] draw(boolean sameClass, int count, Random random, Set<Long> seen) {
            long[] cumulative = new long[classCount()];
            long total = 0;
            for (int c = 0; c < classCount(); c++) {
                total += orderedWeight(c, sameClass);
                cumulative[c] = total;
            }
            long[] out = new long[count];
            int got = 0;
            while (got < count) {
                long r = uniform(random, total);
                int c = classOf(cumulative, r);
                int size = (int) size(c);
                int a = random.nextInt(size);                  // position of the first sample in its class
                int i = bySample[start[c] + a];
                int j;
                if (sameClass) {
                    int b = random.nextInt(size - 1);          // another position of the class:
                    j = bySample[start[c] + (b < a ? b : b + 1)]; // skip the first sample's own
                } else {
                    int k = random.nextInt(n - size);          // a position outside the class's block
                    j = bySample[k < start[c] ? k : k + size];
                }
                long key = (long) Math.min(i, j) << 32 | Math.max(i, j);
                if (seen.add(key)) {
                    out[got++] = key;
                }
            }
            return out;
        }

        /**
         * Uniform in [0, bound) from the methods whose algorithms {@code java.util.Random}
         * specifies (nextInt(bound), nextLong()), so a seed gives the same pairs on every JDK;
         * RandomGenerator's default nextLong(bound) is not pinned down that way.
         */
        private static long uniform(Random random, long bound) {
            if (bound <= Integer.MAX_VALUE) {
                return random.nextInt((int) bound);
            }
            long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound; // a multiple of bound: no modulo bias below it
            while (true) {
                long r = random.nextLong() >>> 1;
                if (r < limit) {
                    return r % bound;
                }
            }
        }

        /** The class whose cumulative-weight interval holds {@code r}. */
        private static int classOf(long[] cumulative, long r) {
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > r) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }
}
