package org.arcgrad.tests.opencl;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.crossEntropy;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.oneHot;
import static org.arcgrad.autodiff.Functional.where;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.DeviceGradCheck;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GradCheck with the analytic side on the OpenCL device (fp32): right gradients pass, a planted wrong rule fails. */
class DeviceGradCheckTest {
    private static final GradCheck.Fn ARCFACE = (tape, a) -> {
        Tensor y = tape.labels("y", 6);
        Tensor cos = linear(normalize(a[0]), normalize(a[1]));
        Tensor phi = where(cos.gt(Math.cos(Math.PI - 0.5)), cosAdd(cos, 0.5), cos.sub(Math.sin(Math.PI - 0.5) * 0.5));
        return crossEntropy(where(oneHot(y, 5), phi, cos).scale(30), y);
    };

    private static NDArray labels() {
        return NDArray.of(Shape.of(6), 0, 4, 2, 2, 1, 4);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void arcFaceGradientsFromTheDevicePass(PlanChoice plan) {
        GradCheck.Report r = DeviceGradCheck.of(ARCFACE, SharedDevice.context(), plan).fixed("y", labels())
                .check(NDArray.gaussian(Shape.of(6, 8), new Random(1)), NDArray.gaussian(Shape.of(5, 8), new Random(2)));
        assertTrue(r.passed(), r.toString());
        assertTrue(r.toString().contains("analytic side: OpenCL fp32") && r.toString().contains(plan + " plan"), r.toString());
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void aWrongRuleRunOnTheDeviceFails(PlanChoice plan) {
        // neg passes back −1.01·g: one percent, beyond the device tolerances
        GradientTable wrong = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g.neg().scale(1.01)});
        GradCheck.Report r = DeviceGradCheck.of((tape, a) -> a[0].neg().exp().sum().add(ARCFACE.apply(tape, a)), SharedDevice.context(), plan)
                .fixed("y", labels()).rules(wrong)
                .check(NDArray.gaussian(Shape.of(6, 8), new Random(1)), NDArray.gaussian(Shape.of(5, 8), new Random(2)));
        assertFalse(r.passed(), r.toString());
    }
}
