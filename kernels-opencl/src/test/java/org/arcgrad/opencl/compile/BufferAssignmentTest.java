package org.arcgrad.opencl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferAssignment#of} on hand-made kernel lists: its plans pass {@link BufferPlanCheck}
 * and come out as small as the values' lives allow where placing values in launch order does not.
 */
class BufferAssignmentTest {
    private final Tape tape = new Tape();

    private static KernelSpec kernel(String name, Tensor output, Tensor... reads) {
        List<KernelArg> args = new ArrayList<>(List.of(new KernelArg.Output(0)));
        for (Tensor r : reads) {
            args.add(new KernelArg.Read(r));
        }
        return new KernelSpec(name, "elementwise", "", List.of(output), args, new long[] {4}, null, false);
    }

    /**
     * Big A (k0, read by k1), small s (k1, read by k2), small t (k2, read by k3), big B (k3, kept).
     * In launch order, t takes A's dead slot (the only free one), so B needs a slot of its own: two
     * big slots. A and B never live at once: one big slot for both, and s and t two small ones.
     */
    @Test
    void largeValuesWhoseLivesDoNotMeetShareASlotThoughSmallOnesDiedBetween() {
        Tensor x = tape.input("x", 100);
        Tensor a = x.exp();
        Tensor s = tape.input("s0", 10).exp();
        Tensor t = s.neg();
        Tensor b = x.log();
        List<KernelSpec> kernels = List.of(kernel("k0", a, x), kernel("k1", s, a), kernel("k2", t, s), kernel("k3", b, t));
        BufferAssignment plan = BufferAssignment.of(kernels, Set.of(b));
        BufferPlanCheck.verify(kernels, plan, Set.of(b), Set.of());
        assertEquals(plan.slot(a), plan.slot(b));
        assertEquals(4L * (100 + 10 + 10), plan.bytes(), "one slot of 100 and two of 10");
        assertNotEquals(plan.slot(s), plan.slot(t), "t is written while s is read");
    }

    /** A value and a kept output never share; a kernel's output never takes the slot of what it reads. */
    @Test
    void keptOutputsAndAKernelsOwnInputsKeepTheirSlots() {
        Tensor x = tape.input("x", 8);
        Tensor v1 = x.exp();
        Tensor v2 = v1.log();
        Tensor v3 = v2.neg();
        List<KernelSpec> kernels = List.of(kernel("k0", v1, x), kernel("k1", v2, v1), kernel("k2", v3, v2));
        BufferAssignment plan = BufferAssignment.of(kernels, Set.of(v1, v3));
        BufferPlanCheck.verify(kernels, plan, Set.of(v1, v3), Set.of());
        assertNotEquals(plan.slot(v1), plan.slot(v3), "v1 is kept to the end");
        assertNotEquals(plan.slot(v1), plan.slot(v2));
        assertNotEquals(plan.slot(v2), plan.slot(v3));
        assertEquals(3, plan.slots());
    }
}
