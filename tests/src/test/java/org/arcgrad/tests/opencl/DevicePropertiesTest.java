package org.arcgrad.tests.opencl;

import org.arcgrad.tests.gradients.AllCases;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL backend against the fp64 interpreter, forward and backward, over random graphs:
 * every op's cases, every composite's, and random expression trees over the whole op set
 * (shapes with dims of 1 and broadcasting included). See {@link DeviceAgreement} for the tolerance.
 */
class DevicePropertiesTest {
    @Test
    void deviceAgreesWithInterpreterOnRandomGraphs() {
        Property.forAll("OpenCL = interpreter on random graphs, forward and backward", AllCases.any(),
                DeviceAgreement::assertDeviceMatchesInterpreter);
    }
}
