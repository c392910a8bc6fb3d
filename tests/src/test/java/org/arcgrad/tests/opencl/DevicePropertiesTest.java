package org.arcgrad.tests.opencl;

import java.util.List;
import org.arcgrad.autodiff.Op;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.gradients.AllCases;
import org.arcgrad.tests.gradients.DagGen;
import org.arcgrad.tests.gradients.GradCase;
import org.arcgrad.tests.gradients.OpCases;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenCL backend against the fp64 interpreter, forward and backward, over random graphs under
 * both kernel plans (the CPU form, and the GPU form every AMD, Intel and NVIDIA user gets): every
 * op's cases, every composite's, random expressions over the whole op set (shapes with dims of 1
 * and broadcasting, shared nodes, one node read twice by one op), and graphs with several outputs
 * that share nodes and feed each other, with one loss's or several losses' gradients compiled
 * together; and the convolution ops on their own. See {@link DeviceAgreement} for the tolerance.
 */
class DevicePropertiesTest {
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnRandomGraphs(PlanChoice plan) {
        Property.forAll("OpenCL (" + plan + " plan) = interpreter on random graphs, forward and backward", AllCases.any(),
                c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    /**
     * The convolution ops alone, more often than the random graphs draw them: random geometry
     * (stride, padding, dilation, groups, odd sizes), the op forward and its operands' gradients,
     * which are the other two convolution ops. Thirty tries a plan: each compiles new kernels.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnConvolutions(PlanChoice plan) {
        Gen<GradCase> convolutions = Gens.oneOf(List.of(OpCases.catalogue().get(Op.CONV2D),
                OpCases.catalogue().get(Op.CONV2D_INPUT_GRAD), OpCases.catalogue().get(Op.CONV2D_WEIGHT_GRAD)));
        Property.named("OpenCL (" + plan + " plan) = interpreter on convolutions, forward and backward").tries(30)
                .forAll(convolutions, c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnMultiOutputGraphsWithSharedNodes(PlanChoice plan) {
        Property.forAll("OpenCL (" + plan + " plan) = interpreter on multi-output graphs with shared nodes", DagGen.dags(),
                d -> DeviceAgreement.assertDeviceMatchesInterpreter(d, plan));
    }
}
