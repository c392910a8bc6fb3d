package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * Random compositions over the whole op set (see {@link ExprGen}): what the per-op properties
 * cannot see is the chain rule across ops, gradients summed back over broadcasts, adjoints
 * accumulated over shared subexpressions, and reductions feeding elementwise ops.
 */
class RandomExpressionPropertiesTest {
    @Test
    void analyticGradientEqualsCentralDifference() {
        Property.forAll("random expressions: analytic gradient = central difference", ExprGen.exprs(),
                e -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(e.toCase(), GradientTable.STANDARD));
    }

    @Test
    void zeroUpstreamGradientGivesExactlyZero() {
        Property.forAll("random expressions: zero upstream gives zero gradients", ExprGen.exprs(),
                e -> GradientAssertions.assertZeroUpstreamGivesZero(e.toCase(), GradientTable.STANDARD));
    }
}
