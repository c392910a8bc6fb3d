package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * The kink guard of the random-expression property: it must discard exactly the mismatches
 * caused by a difference step crossing a branch, and let every other mismatch fail.
 */
class KinkPatternTest {
    private static final double H = Tolerance.STEP;

    private static GradCase reluOf(double... x) {
        return GradCase.of("relu", 1, (t, a) -> Functional.relu(a[0]), NDArray.of(Shape.of(x.length), x));
    }

    @Test
    void aStepAcrossABranchIsAStraddle() {
        assertTrue(KinkPattern.straddles(reluOf(0.5, 0.0), 0, 1, H), "relu at 0");
        assertTrue(KinkPattern.straddles(reluOf(0.5, 3e-7), 0, 1, H), "relu within a step of 0");
        assertFalse(KinkPattern.straddles(reluOf(0.5, 0.0), 0, 0, H), "the other element is far from 0");
        GradCase clamp = GradCase.of("clamp", 1, (t, a) -> a[0].clamp(-1, 1), NDArray.of(Shape.of(2), 1.0, 0.3));
        assertTrue(KinkPattern.straddles(clamp, 0, 0, H), "clamp at its upper bound");
        assertFalse(KinkPattern.straddles(clamp, 0, 1, H), "clamp inside");
        GradCase max = GradCase.of("max", 1, (t, a) -> a[0].max(0, true), NDArray.of(Shape.of(3), 2.0, 2.0, -1.0));
        assertTrue(KinkPattern.straddles(max, 0, 0, H), "a tie for the max");
        assertFalse(KinkPattern.straddles(max, 0, 2, H), "below the max");
    }

    @Test
    void aMismatchAtAKinkIsDiscardedAndElsewhereItFails() {
        // relu at exactly 0: the central difference says 1/2, the rule 0; no rule is wrong
        Property.Outcome<GradCase> atKink = Property.named("relu at 0").tries(3).run(Gen.constant(reluOf(0.0, 0.7)),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, GradientTable.STANDARD));
        assertNotNull(atKink.failure());
        assertTrue(atKink.failure().error().getMessage().contains("gave up"), atKink.failure().error().getMessage());
        assertTrue(atKink.failure().error().getMessage().contains("straddles a kink"), atKink.failure().error().getMessage());

        // a wrong rule at a smooth point is not excused
        GradientTable wrong = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g});
        GradCase smooth = GradCase.of("relu(neg x)", 1, (t, a) -> Functional.relu(a[0].neg()), NDArray.of(Shape.of(2), -0.5, -0.7));
        Property.Outcome<GradCase> wrongRule = Property.named("wrong neg").tries(3).run(Gen.constant(smooth),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, wrong));
        assertNotNull(wrongRule.failure());
        assertTrue(wrongRule.failure().error().getMessage().contains("gradcheck FAILED"), wrongRule.failure().error().getMessage());

        Property.Outcome<GradCase> fine = Property.named("relu off 0").tries(3).run(Gen.constant(reluOf(0.2, -0.7)),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, GradientTable.STANDARD));
        assertNull(fine.failure());
    }
}
