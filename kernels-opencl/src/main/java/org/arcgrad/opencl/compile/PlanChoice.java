package org.arcgrad.opencl.compile;

import java.util.Locale;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Which form of kernels a graph compiles to. The CPU form spells SIMD out (float16 vectors in
 * reductions over a leading axis and along the rows of reductions over the last axis, other
 * reductions in lockstep, register-tiled GEMMs with one work-item per group); the GPU form is what GPUs run well (GEMMs with local-memory tiles, scalar reductions,
 * one work-item per output). {@link #AUTO} takes the form of the device's type. Forcing the GPU
 * form on a CPU device runs the kernels every GPU user gets through PoCL or a simulator, which is
 * how the test suite checks them on a machine without a GPU.
 */
public enum PlanChoice {
    AUTO, CPU, GPU;

    /** The environment variable that sets the default: {@code auto} (or unset), {@code cpu} or {@code gpu}. */
    public static final String ENV = "ARCGRAD_PLAN";

    /** The choice {@value #ENV} names; unset or empty is {@link #AUTO}. */
    public static PlanChoice fromEnvironment() {
        return parse(System.getenv(ENV), ENV);
    }

    /** Parses {@code auto}, {@code cpu} or {@code gpu} (any case); {@code what} names the setting in the error. */
    public static PlanChoice parse(String value, String what) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "auto" -> AUTO;
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            default -> throw new IllegalArgumentException(what + "=" + value + " is not a kernel plan; use auto, cpu or gpu");
        };
    }

    /** The limits to plan with: the device's own, with its type replaced by the forced form's. */
    public DeviceLimits apply(DeviceLimits device) {
        return switch (this) {
            case AUTO -> device;
            case CPU -> device.withType(DeviceType.CPU);
            case GPU -> device.withType(DeviceType.GPU);
        };
    }
}
