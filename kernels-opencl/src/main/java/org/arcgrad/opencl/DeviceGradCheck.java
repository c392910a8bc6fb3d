package org.arcgrad.opencl;

import java.util.Map;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * {@link GradCheck} with its analytic side computed by the OpenCL backend in fp32 (the kernels a
 * training run would use, under a chosen plan) and its numeric side, central differences, still
 * in fp64:
 *
 * <pre>{@code
 * GradCheck.Report r = DeviceGradCheck.of(fn, context, PlanChoice.GPU).check(x, w);
 * }</pre>
 *
 * <p>The tolerances default to {@value #ATOL} and {@value #RTOL} (ten times the fp64 check's atol,
 * twice its rtol): the device rounds each op to fp32 (2⁻²⁴ relative) and reads fp32-rounded inputs,
 * which moves a gradient by about 1e-6 of its scale times the loss's conditioning. Pass others
 * with {@link GradCheck#tolerances} after this.
 */
public final class DeviceGradCheck {
    public static final double ATOL = 1e-4;
    public static final double RTOL = 2e-3;

    private DeviceGradCheck() {
    }

    public static GradCheck of(GradCheck.Fn fn, DeviceContext context, PlanChoice plan) {
        return GradCheck.of(fn).analyticBy(analytic(context, plan)).tolerances(ATOL, RTOL);
    }

    /** Gradients compiled and run on {@code context} under {@code plan}, in fp32. */
    public static GradCheck.Analytic analytic(DeviceContext context, PlanChoice plan) {
        return new GradCheck.Analytic() {
            @Override
            public NDArray[] gradients(Tensor[] gradients, Map<Tensor, NDArray> feeds) {
                try (Executable e = Executable.compile(context, CompileOptions.defaults().withPlan(plan), gradients)) {
                    return e.run(feeds);
                }
            }

            @Override
            public String describe() {
                return "OpenCL fp32 on " + context.device().name() + ", " + plan + " plan";
            }
        };
    }
}
