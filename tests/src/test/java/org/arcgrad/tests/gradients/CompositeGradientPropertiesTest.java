package org.arcgrad.tests.gradients;

import java.util.stream.Stream;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Per composite of Functional: analytic gradient = central difference, and zero upstream gives exactly zero. */
class CompositeGradientPropertiesTest {
    static Stream<String> composites() {
        return CompositeCases.catalogue().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void analyticGradientEqualsCentralDifference(String composite) {
        Property.forAll(composite + ": analytic gradient = central difference", CompositeCases.catalogue().get(composite),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, GradientTable.STANDARD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void zeroUpstreamGradientGivesExactlyZero(String composite) {
        Property.forAll(composite + ": zero upstream gives zero gradients", CompositeCases.catalogue().get(composite),
                c -> GradientAssertions.assertZeroUpstreamGivesZero(c, GradientTable.STANDARD));
    }
}
