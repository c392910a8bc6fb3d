package org.arcgrad.opencl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** What a plan says about itself (kernel names, the summary, grouped outputs) and the sizes it refuses. */
class KernelPlanNamesTest {
    @Test
    void kernelsAreNamedByTheirLastNodeAndGroupSize() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 8);
        Tensor p = tape.param("p", 4, 8);
        Tensor rowSum = x.sum(1, true);
        Tensor rowMax = x.max(1, true);
        Tensor next = p.sub(x.scale(0.1));
        Tensor twice = next.scale(2);
        KernelPlan plan = KernelPlan.of(Graph.of(rowSum, next, twice, rowMax));
        assertEquals("k0_sum_2 [reduce] writes %2 [4, 1] reads %0\n"
                + "k1_max_3 [reduce] writes %3 [4, 1] reads %0\n"
                + "k2_scale_6_and_1 [elementwise] writes %5 %6 [4, 8] reads %1 %0\n", plan.summary());
        assertEquals("%5 = sub [4, 8] (%1, %4); %6 = scale [4, 8] (%5) [2.0]", plan.kernels().get(2).describeOutputs());
        assertEquals("%2 = sum [4, 1] (%0) axis 1", plan.kernels().get(0).describeOutputs());
    }

    @Test
    void tensorsTooLargeForIntIndicesAreRefused() {
        Tape tape = new Tape();
        Tensor largest = tape.input("x", Integer.MAX_VALUE - 1);
        assertEquals(1, KernelPlan.of(Graph.of(largest.exp())).kernels().size());
        Tensor tooLarge = tape.input("y", Integer.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelPlan.of(Graph.of(tooLarge.exp())));
        assertTrue(e.getMessage().contains("32-bit ints"), e.getMessage());
    }

    @Test
    void thePlanChoiceOfAnUnsetEnvironmentIsAuto() {
        assertNotNull(PlanChoice.fromEnvironment());
        assertEquals(PlanChoice.AUTO, PlanChoice.parse(null, "X"));
    }
}
