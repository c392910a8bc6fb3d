package org.arcgrad.opencl;

import java.util.Locale;
import java.util.Map;
import org.arcgrad.opencl.compile.PlanChoice;

/**
 * How {@link Executable#compile} compiles a graph.
 *
 * @param plan   the form of the kernels: the device's own ({@link PlanChoice#AUTO}), or the CPU or
 *               GPU form forced on any device
 * @param verify run the graph in the fp64 interpreter too on the first run, and fail with the first
 *               node whose device values disagree beyond fp32 rounding (see {@link FirstRunCheck}):
 *               the thing to turn on when a result looks wrong on a new GPU or driver
 */
public record CompileOptions(PlanChoice plan, boolean verify) {
    /** Turns the first-run check on: {@code 1} (true, yes, on); unset, {@code 0} (false, no, off) leave it off. */
    public static final String ENV_VERIFY = "ARCGRAD_VERIFY";

    public CompileOptions {
        java.util.Objects.requireNonNull(plan, "plan");
    }

    /** The device's own plan, no first-run check. */
    public static CompileOptions defaults() {
        return new CompileOptions(PlanChoice.AUTO, false);
    }

    /** What {@value PlanChoice#ENV} and {@value #ENV_VERIFY} set; what {@link Executable#compile(org.arcgrad.opencl.runtime.DeviceContext, org.arcgrad.autodiff.Tensor...)} uses. */
    public static CompileOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static CompileOptions fromEnvironment(Map<String, String> env) {
        return new CompileOptions(PlanChoice.parse(env.get(PlanChoice.ENV), PlanChoice.ENV), parseSwitch(env.get(ENV_VERIFY), ENV_VERIFY));
    }

    public CompileOptions withPlan(PlanChoice p) {
        return new CompileOptions(p, verify);
    }

    public CompileOptions withVerify(boolean v) {
        return new CompileOptions(plan, v);
    }

    private static boolean parseSwitch(String value, String name) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "0", "false", "no", "off" -> false;
            case "1", "true", "yes", "on" -> true;
            default -> throw new IllegalArgumentException(name + "=" + value + " is not understood; use " + name + "=1 to turn it on");
        };
    }
}
