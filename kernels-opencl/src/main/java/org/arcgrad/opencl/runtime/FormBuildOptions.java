package org.arcgrad.opencl.runtime;

/**
 * Build options for kernels written for one type of device and built for another: none, except
 * for the GPU form (a GPU plan, a GEMM with local-memory tiles) on a CPU device, which is built
 * without optimisation ({@value #GPU_FORM_ON_CPU}). There it is a check of what the GPU kernels
 * compute (the tests run every compiler property under both plans on PoCL), never a way to run
 * fast, since a CPU device's own plan is the CPU form; a GPU's driver, not PoCL, optimises what
 * GPU users run. PoCL builds them faster so, and building is nearly all of the test suite's time:
 * with empty caches, FoldedFirstPassTest (GPU plans only) took 39 s instead of 57, and
 * GemmCorrectnessTest 51 s instead of 75 (26 s with its CPU forms unoptimised too).
 */
public final class FormBuildOptions {
    public static final String GPU_FORM_ON_CPU = "-cl-opt-disable";

    private FormBuildOptions() {
    }

    /** The options for kernels in the form of {@code form}, built for a device of type {@code device}. */
    public static String of(DeviceType form, DeviceType device) {
        return form != DeviceType.CPU && device == DeviceType.CPU ? GPU_FORM_ON_CPU : "";
    }
}
