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
 * together; and the window ops (convolutions, pooling) on their own. See {@link DeviceAgreement} for the tolerance.
 */
class DevicePropertiesTest {
    /**
     * Tries a plan in the properties below. Each try compiles new kernels, and PoCL's first launch
     * of each kernel builds its code: about a second a try, most of this class's time and one of
     * the suite's largest shares. Every run draws a new seed, so runs add up to more tries;
     * {@code -Darcgrad.tries=1000} hunts harder.
     */
    private static final int TRIES = 50;

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnRandomGraphs(PlanChoice plan) {
        Property.named("OpenCL (" + plan + " plan) = interpreter on random graphs, forward and backward").tries(TRIES)
                .forAll(AllCases.any(), c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    /**
     * Random expressions with rows of 4 to 32 elements, where the CPU plan computes row reductions
     * and the elementwise work over the same rows in one row kernel (see {@link RowKernelTest}); the
     * random graphs above have rows of up to four and rarely take it. Forty tries a plan: the rows
     * make each try slower than theirs.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnWideRows(PlanChoice plan) {
        Property.named("OpenCL (" + plan + " plan) = interpreter on random expressions with wide rows").tries(40)
                .forAll(AllCases.wideRows(), c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    /**
     * The window ops alone, more often than the random graphs draw them: convolutions with random
     * geometry (stride, padding, dilation, groups, odd sizes), patch matrices and their sums, axis permutations, and max pooling's selection and
     * scatter (overlapping windows, padding), each forward and with its operands' gradients, which
     * are window ops again. Forty tries a plan: each compiles new kernels.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnWindowOps(PlanChoice plan) {
        List<Gen<GradCase>> windowOps = new java.util.ArrayList<>();
        for (Op op : List.of(Op.CONV2D, Op.CONV2D_INPUT_GRAD, Op.CONV2D_WEIGHT_GRAD, Op.IM2COL, Op.COL2IM, Op.MAX_POOL2D_SELECT,
                Op.MAX_POOL2D_SCATTER, Op.PERMUTE)) {
            windowOps.add(OpCases.catalogue().get(op));
        }
        Property.named("OpenCL (" + plan + " plan) = interpreter on window ops, forward and backward").tries(40)
                .forAll(Gens.oneOf(windowOps), c -> DeviceAgreement.assertDeviceMatchesInterpreter(c, plan));
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void deviceAgreesWithInterpreterOnMultiOutputGraphsWithSharedNodes(PlanChoice plan) {
        Property.named("OpenCL (" + plan + " plan) = interpreter on multi-output graphs with shared nodes").tries(TRIES)
                .forAll(DagGen.dags(), d -> DeviceAgreement.assertDeviceMatchesInterpreter(d, plan));
    }
}
