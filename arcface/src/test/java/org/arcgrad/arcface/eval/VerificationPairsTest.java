package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerificationPairsTest {

    /** 1 000 samples, 50 classes of unequal sizes (10 to 30), labels interleaved. */
    static int[] labels() {
        int[] sizes = new int[50];
        int total = 0;
        for (int c = 0; c < 50; c++) {
            sizes[c] = 10 + (c * 7) % 21;
            total += sizes[c];
        }
        int[] y = new int[total];
        int at = 0;
        for (int round = 0; at < total; round++) {
            for (int c = 0; c < 50; c++) {
                if (round < sizes[c]) {
                    y[at++] = c;
                }
            }
        }
        return y;
    }

    @Test
    void lfwLayoutBalancedFoldsNoSelfOrDuplicatePairs() {
        int[] y = labels();
        VerificationPairs pairs = VerificationPairs.draw(y, VerificationProtocol.lfw(7));
        assertEquals(6000, pairs.size());
        Set<Long> seen = new HashSet<>();
        int[] samePerFold = new int[10];
        int[] differentPerFold = new int[10];
        for (int p = 0; p < pairs.size(); p++) {
            int i = pairs.first(p);
            int j = pairs.second(p);
            assertTrue(i < j, "pair " + p + " is (" + i + ", " + j + "): a self pair or unordered");
            assertTrue(seen.add((long) i << 32 | j), "pair " + p + " repeats (" + i + ", " + j + ")");
            assertEquals(y[i] == y[j], pairs.same(p), "pair " + p + " has the wrong kind");
            // LFW's pairs.txt order: in each fold the 300 same-class pairs come first.
            assertEquals(p % 600 < 300, pairs.same(p));
            assertEquals(p / 600, pairs.fold(p));
            (pairs.same(p) ? samePerFold : differentPerFold)[pairs.fold(p)]++;
        }
        for (int k = 0; k < 10; k++) {
            assertEquals(300, samePerFold[k]);
            assertEquals(300, differentPerFold[k]);
        }
    }

    @Test
    void sameSeedSamePairsOtherSeedOtherPairs() {
        int[] y = labels();
        VerificationPairs a = VerificationPairs.draw(y, VerificationProtocol.lfw(11));
        VerificationPairs b = VerificationPairs.draw(y, VerificationProtocol.lfw(11));
        VerificationPairs c = VerificationPairs.draw(y, VerificationProtocol.lfw(12));
        assertArrayEquals(packed(a), packed(b));
        assertFalse(java.util.Arrays.equals(packed(a), packed(c)));
    }

    @Test
    void sameClassPairsAreUniformOverPairsNotClasses() {
        // Classes of 2 and 4 samples: 1 + 6 = 7 same-class pairs; a class-uniform draw would give the
        // single pair of class 0 half the time, a pair-uniform one 1/7.
        int[] y = {0, 0, 1, 1, 1, 1};
        int trials = 7000;
        int[] counts = new int[36];
        for (int seed = 0; seed < trials; seed++) {
            VerificationPairs pairs = VerificationPairs.draw(y, new VerificationProtocol(4, 2, seed, 0.5));
            counts[pairs.first(0) * 6 + pairs.second(0)]++;
        }
        int distinct = 0;
        for (int count : counts) {
            if (count > 0) {
                distinct++;
                // Binomial(7000, 1/7): mean 1000, σ ≈ 29; 5σ keeps this test from ever flaking.
                assertEquals(1000, count, 150);
            }
        }
        assertEquals(7, distinct);
    }

    @Test
    void largeTestSetsDrawValidPairs() {
        // 2 classes of 40 000: 2 × 40 000 × 39 999 ordered same-class pairs, past 2^31, so the
        // class choice goes through the 63-bit uniform draw.
        int[] y = new int[80_000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
        }
        VerificationPairs pairs = VerificationPairs.draw(y, VerificationProtocol.lfw(3));
        int[] perClass = new int[2];
        for (int p = 0; p < pairs.size(); p++) {
            assertTrue(pairs.first(p) < pairs.second(p));
            assertEquals(y[pairs.first(p)] == y[pairs.second(p)], pairs.same(p));
            if (pairs.same(p)) {
                perClass[y[pairs.first(p)]]++;
            }
        }
        // Equal classes: each supplies about half of the 3 000 same-class pairs (σ ≈ 27).
        assertEquals(1500, perClass[0], 150);
    }

    @Test
    void refusesATestSetWithTooFewPairs() {
        int[] y = new int[60];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 30; // 30 classes of 2: only 30 distinct same-class pairs
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerificationPairs.draw(y, VerificationProtocol.lfw(1)));
        assertTrue(e.getMessage().contains("30 distinct same-class"), e.getMessage());
        assertTrue(e.getMessage().contains("3000 of each"), e.getMessage());
    }

    @Test
    void drawsEveryPairWhenTheProtocolNeedsThemAll() {
        // 2 classes of 3: exactly 6 same-class and 9 different-class pairs; ask for 6 of each.
        int[] y = {0, 1, 0, 1, 0, 1};
        VerificationPairs pairs = VerificationPairs.draw(y, new VerificationProtocol(12, 3, 5, 0.1));
        Set<Long> same = new HashSet<>();
        for (int p = 0; p < pairs.size(); p++) {
            if (pairs.same(p)) {
                same.add((long) pairs.first(p) << 32 | pairs.second(p));
            }
        }
        assertEquals(6, same.size());
    }

    @Test
    void protocolRefusesUnbalancedFolds() {
        assertThrows(IllegalArgumentException.class, () -> new VerificationProtocol(6010, 10, 0, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new VerificationProtocol(6000, 1, 0, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new VerificationProtocol(6000, 10, 0, 0));
        assertNotEquals(VerificationProtocol.lfw(1), VerificationProtocol.lfw(2));
        assertEquals(300, VerificationProtocol.lfw(1).positivesPerFold());
    }

    private static long[] packed(VerificationPairs pairs) {
        long[] out = new long[pairs.size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = (long) pairs.first(p) << 32 | pairs.second(p);
        }
        return out;
    }
}
