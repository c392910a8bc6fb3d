package org.arcgrad.tests.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.gradients.BuiltCase;
import org.arcgrad.tests.gradients.Dag;
import org.arcgrad.tests.gradients.GradCase;

/**
 * Runs a graph's outputs, forward and backward, on the OpenCL device in fp32 under a given kernel
 * plan and on the interpreter in fp64, and asserts they agree by {@link org.arcgrad.opencl.InterpreterAgreement}'s
 * rule (rounding-noise tolerance; both sides read the same fp32-rounded inputs).
 */
public final class DeviceAgreement {
    private DeviceAgreement() {
    }

    /** A case's output and the gradients of ⟨out, v⟩ for a random v. */
    static void assertDeviceMatchesInterpreter(GradCase c, PlanChoice plan) {
        BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
        Random random = new Random(c.seed());
        List<Tensor> outputs = forwardAndBackward(b, random);
        assertDeviceMatchesInterpreter(outputs, b.feeds(), plan, random, k -> k == 0 ? "forward" : "gradient of arg" + (k - 1),
                b.tape().dump());
    }

    /** A multi-output graph's outputs and gradients. */
    /** The case's output, then the gradients of ⟨out, v⟩ for a v drawn from {@code random}: what the device computes. */
    static List<Tensor> forwardAndBackward(BuiltCase b, Random random) {
        NDArray v = NDArray.gaussian(b.out().shape(), random);
        Tensor loss = b.dot("agreement.cotangent", v);
        List<Tensor> outputs = new ArrayList<>();
        outputs.add(b.out());
        outputs.addAll(List.of(b.tape().grad(loss, b.args())));
        return outputs;
    }

    public static void assertDeviceMatchesInterpreter(Dag d, PlanChoice plan) {
        Dag.Built b = d.build();
        assertDeviceMatchesInterpreter(b.outputs(), b.feeds(), plan, new Random(d.seed()), b.names()::get, b.tape().dump());
    }

    /** Compiles {@code outputs} together under {@code plan} and holds every one to the interpreter. */
    public static void assertDeviceMatchesInterpreter(List<Tensor> outputs, Map<Tensor, NDArray> feeds, PlanChoice plan, Random random,
                                                      Function<Integer, String> name, String tape) {
        assertAgrees(outputs, feeds, random, name, tape, DeviceComparison.under(plan));
    }

    /** As above, with executables from {@code compile} (a test may plant a faulty compiler there). */
    public static void assertAgrees(List<Tensor> outputs, Map<Tensor, NDArray> feeds, Random random, Function<Integer, String> name,
                                    String tape, Function<Tensor[], Executable> compile) {
        DeviceComparison.compare(outputs, feeds, random, compile).ifPresent(d -> {
            throw new AssertionError(name.apply(d.output()) + ": " + d + "\n" + tape);
        });
    }
}
