package org.arcgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.arcgrad.opencl.runtime.FormBuildOptions;
import org.junit.jupiter.api.Test;

/** ARCGRAD_PLAN and ARCGRAD_VERIFY as the environment gives them, and what a forced plan changes. */
class CompileOptionsTest {
    @Test
    void unsetMeansTheDevicesOwnPlanAndNoCheck() {
        assertEquals(CompileOptions.defaults(), CompileOptions.fromEnvironment(Map.of()));
        assertEquals(new CompileOptions(PlanChoice.AUTO, false), CompileOptions.fromEnvironment(Map.of("ARCGRAD_PLAN", " Auto ", "ARCGRAD_VERIFY", "0")));
    }

    @Test
    void planAndCheckAreReadInAnyCase() {
        assertEquals(new CompileOptions(PlanChoice.GPU, true), CompileOptions.fromEnvironment(Map.of("ARCGRAD_PLAN", "GPU", "ARCGRAD_VERIFY", "1")));
        assertEquals(new CompileOptions(PlanChoice.CPU, true), CompileOptions.fromEnvironment(Map.of("ARCGRAD_PLAN", "cpu", "ARCGRAD_VERIFY", "yes")));
    }

    @Test
    void aValueNotUnderstoodIsRefusedNamingTheVariable() {
        String m = assertThrows(IllegalArgumentException.class, () -> CompileOptions.fromEnvironment(Map.of("ARCGRAD_PLAN", "fast"))).getMessage();
        assertEquals("ARCGRAD_PLAN=fast is not a kernel plan; use auto, cpu or gpu", m);
        m = assertThrows(IllegalArgumentException.class, () -> CompileOptions.fromEnvironment(Map.of("ARCGRAD_VERIFY", "maybe"))).getMessage();
        assertTrue(m.startsWith("ARCGRAD_VERIFY=maybe is not understood"), m);
    }

    @Test
    void aForcedPlanChangesOnlyTheTypeThePlanIsMadeFor() {
        DeviceLimits cpu = new DeviceLimits(DeviceType.CPU, 4096, 4096, 4096, 1 << 20);
        assertEquals(cpu, PlanChoice.AUTO.apply(cpu));
        assertEquals(cpu, PlanChoice.CPU.apply(cpu));
        assertEquals(new DeviceLimits(DeviceType.GPU, 4096, 4096, 4096, 1 << 20), PlanChoice.GPU.apply(cpu));
    }

    @Test
    void aGpuPlanOnACpuDeviceIsBuiltWithoutOptimisationAndEveryOtherPlanAsTheDriverBuildsIt() {
        DeviceLimits cpu = new DeviceLimits(DeviceType.CPU, 4096, 4096, 4096, 1 << 20);
        Graph g = Graph.of(new Tape().param("x", 3, 5).exp().sum(1, true));
        assertEquals(DeviceType.GPU, KernelPlan.of(g, PlanChoice.GPU.apply(cpu)).form());
        assertEquals(DeviceType.CPU, KernelPlan.of(g, PlanChoice.AUTO.apply(cpu)).form());
        assertEquals("-cl-opt-disable", FormBuildOptions.of(DeviceType.GPU, DeviceType.CPU));
        assertEquals("", FormBuildOptions.of(DeviceType.CPU, DeviceType.CPU));
        assertEquals("", FormBuildOptions.of(DeviceType.GPU, DeviceType.GPU));
        assertEquals("", FormBuildOptions.of(DeviceType.CPU, DeviceType.GPU));
    }
}
