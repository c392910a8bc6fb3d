package org.arcgrad.tests.opencl;

import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.gradients.AllCases;
import org.arcgrad.tests.gradients.DagGen;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenCL backend against the fp64 interpreter, forward and backward, over random graphs under
 * both kernel plans (the CPU form, and the GPU form every AMD, Intel and NVIDIA user gets): every
 * op's cases, every composite's, random expressions over the whole op set (shapes with dims of 1
 * and broadcasting, shared nodes, one node read twice by one op), and graphs with several outputs
 * that share nodes and feed each other, with one loss's or several losses' gradients compiled
 * together. See {@link DeviceAgreement} for the tolerance.
 */
class DevicePropertiesTest {
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnRandomGraphs(PlanChoice plan) {
        Property.forAll("OpenCL (" + plan + " plan) = interpreter on random graphs, forward and backward", AllCases.any(),
                c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnMultiOutputGraphsWithSharedNodes(PlanChoice plan) {
        Property.forAll("OpenCL (" + plan + " plan) = interpreter on multi-output graphs with shared nodes", DagGen.dags(),
                d -> DeviceAgreement.assertDeviceMatchesInterpreter(d, plan));
    }
}
