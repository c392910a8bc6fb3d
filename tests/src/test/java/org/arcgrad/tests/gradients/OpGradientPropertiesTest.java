package org.arcgrad.tests.gradients;

import java.util.stream.Stream;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Op;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Per primitive op: analytic gradient = central difference, and zero upstream gives exactly zero. */
class OpGradientPropertiesTest {
    static Stream<Op> ops() {
        return OpCases.catalogue().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void analyticGradientEqualsCentralDifference(Op op) {
        Property.forAll(op.label() + ": analytic gradient = central difference", OpCases.catalogue().get(op),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, GradientTable.STANDARD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void zeroUpstreamGradientGivesExactlyZero(Op op) {
        Property.forAll(op.label() + ": zero upstream gives zero gradients", OpCases.catalogue().get(op),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c, GradientTable.STANDARD));
    }
}
