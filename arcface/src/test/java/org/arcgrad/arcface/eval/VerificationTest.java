package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerificationTest {

    @Test
    void perfectlySeparatedEmbeddingsScoreOneWithNoSpread() {
        // 40 classes × 25 samples, one-hot class directions plus small noise: every same-class
        // cosine (≈ 1) is above every different-class one (≈ 0).
        Embeddings test = ClosedSetAccuracyTest.separated(40, 25, 0.05, 3);
        VerificationResult v = Verification.evaluate(test, VerificationProtocol.lfw(1));
        assertEquals(1.0, v.accuracy());
        assertEquals(0.0, v.std());
        assertEquals(10, v.crossValidation().folds());
        assertEquals(3000, v.positiveCosines().length);
        assertEquals(3000, v.negativeCosines().length);
        double lowestSame = Stats.min(v.positiveCosines());
        double highestDifferent = Stats.max(v.negativeCosines());
        assertTrue(highestDifferent < v.threshold() && v.threshold() < lowestSame,
                "threshold " + v.threshold() + " not between " + highestDifferent + " and " + lowestSame);
        assertEquals(1.0, v.tarAtFar().tar());
        // FAR = 1e-3 of 3 000 different-class pairs: the threshold is the 4th highest of their
        // cosines, so the 3 above it are accepted, as the definition allows.
        assertEquals(0.001, v.tarAtFar().far());
    }

    @Test
    void sameSeedGivesTheSameResult() {
        Embeddings test = ClosedSetAccuracyTest.separated(30, 20, 0.3, 4); // overlapping: accuracy < 1
        VerificationResult a = Verification.evaluate(test, VerificationProtocol.lfw(9));
        VerificationResult b = Verification.evaluate(test, VerificationProtocol.lfw(9));
        assertTrue(a.accuracy() < 1.0 && a.accuracy() > 0.6, a.toString());
        assertArrayEquals(a.crossValidation().foldAccuracies(), b.crossValidation().foldAccuracies());
        assertArrayEquals(a.crossValidation().foldThresholds(), b.crossValidation().foldThresholds());
        assertArrayEquals(a.positiveCosines(), b.positiveCosines());
    }

    @Test
    void cosinesArePairCosinesOfTheDrawnPairs() {
        Embeddings test = ClosedSetAccuracyTest.separated(30, 20, 0.3, 4);
        VerificationPairs pairs = VerificationPairs.draw(test.labels(), VerificationProtocol.lfw(9));
        VerificationResult v = Verification.evaluate(test.unitRows(), pairs);
        // Pair 0 is fold 0's first same-class pair; pair 300 its first different-class pair.
        UnitRows rows = test.unitRows();
        assertEquals(rows.cosine(pairs.first(0), pairs.second(0)), v.positiveCosines()[0]);
        assertEquals(rows.cosine(pairs.first(300), pairs.second(300)), v.negativeCosines()[0]);
    }

    @Test
    void refusesEmbeddingsThatAreNotThoseThePairsWereDrawnFor() {
        Embeddings test = ClosedSetAccuracyTest.separated(30, 20, 0.3, 4);
        VerificationPairs pairs = VerificationPairs.draw(test.labels(), VerificationProtocol.lfw(9));
        UnitRows fewer = ClosedSetAccuracyTest.separated(30, 19, 0.3, 4).unitRows();
        assertThrows(IllegalArgumentException.class, () -> Verification.evaluate(fewer, pairs));
    }
}
