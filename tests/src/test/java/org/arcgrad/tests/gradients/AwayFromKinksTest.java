package org.arcgrad.tests.gradients;

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
 * The kink guard of the random-expression property: a case whose every difference step crosses a
 * branch is discarded, a mismatch anywhere else fails (GradCheckBranchesTest covers the judging).
 */
class AwayFromKinksTest {
    private static GradCase reluOf(double... x) {
        return GradCase.of("relu", 1, (t, a) -> Functional.relu(a[0]), NDArray.of(Shape.of(x.length), x));
    }

    @Test
    void aCaseOnlyOnKinksIsDiscardedAndElsewhereAMismatchFails() {
        // relu at exactly 0: the central difference says 1/2, the rule 0; no rule is wrong
        Property.Outcome<GradCase> atKink = Property.named("relu at 0").tries(3).run(Gen.constant(reluOf(0.0, 0.0)),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, GradientTable.STANDARD));
        assertNotNull(atKink.failure());
        assertTrue(atKink.failure().error().getMessage().contains("gave up"), atKink.failure().error().getMessage());
        assertTrue(atKink.failure().error().getMessage().contains("straddles a kink"), atKink.failure().error().getMessage());

        Property.Outcome<GradCase> partly = Property.named("relu at 0 and off it").tries(3).run(Gen.constant(reluOf(0.0, 0.7)),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, GradientTable.STANDARD));
        assertNull(partly.failure());

        // a wrong rule at a smooth point is not excused, even beside a kink
        GradientTable wrong = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g});
        GradCase smooth = GradCase.of("relu(neg x)", 1, (t, a) -> Functional.relu(a[0].neg()), NDArray.of(Shape.of(3), -0.5, -0.7, 0.0));
        Property.Outcome<GradCase> wrongRule = Property.named("wrong neg").tries(3).run(Gen.constant(smooth),
                c -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(c, wrong));
        assertNotNull(wrongRule.failure());
        assertTrue(wrongRule.failure().error().getMessage().contains("gradcheck FAILED"), wrongRule.failure().error().getMessage());
    }
}
