package org.arcgrad.opencl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link BufferPlanCheck} on hand-made plans over a chain a → v1 → v2 → v3 (one
 * kernel each, k0 to k2): a right plan passes, and each kind of broken plan is refused with a
 * message naming the values involved.
 */
class BufferPlanCheckTest {
    private final Tape tape = new Tape();
    private final Tensor a = tape.input("a", 4);
    private final Tensor v1 = a.exp();
    private final Tensor v2 = v1.log();
    private final Tensor v3 = v2.neg();
    private final List<KernelSpec> chain = List.of(kernel("k0", List.of(v1), a), kernel("k1", List.of(v2), v1), kernel("k2", List.of(v3), v2));

    private static KernelSpec kernel(String name, List<Tensor> outputs, Tensor... reads) {
        List<KernelArg> args = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            args.add(new KernelArg.Output(i));
        }
        for (Tensor r : reads) {
            args.add(new KernelArg.Read(r));
        }
        return new KernelSpec(name, "elementwise", "", outputs, args, new long[] {4}, null, false);
    }

    private static BufferAssignment plan(Map<Tensor, Integer> slots, long... elements) {
        List<Long> sizes = new ArrayList<>();
        for (long e : elements) {
            sizes.add(e);
        }
        return BufferAssignment.ofSlots(slots, sizes);
    }

    private static String refused(List<KernelSpec> kernels, BufferAssignment plan, Set<Tensor> kept, Set<Tensor> swapped) {
        String m = assertThrows(BufferPlanCheck.BufferPlanViolation.class, () -> BufferPlanCheck.verify(kernels, plan, kept, swapped))
                .getMessage();
        assertTrue(m.startsWith("internal error in arcgrad's buffer plan"), m);
        return m;
    }

    private static String id(Tensor t) {
        return "%" + t.id() + " (";
    }

    @Test
    void aPlanThatReusesOnlyDeadSlotsPasses() {
        BufferPlanCheck.verify(chain, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 4), Set.of(v3), Set.of());
        BufferPlanCheck.verify(chain, BufferAssignment.of(chain, Set.of(v3)), Set.of(v3), Set.of());
    }

    /** Split K's pair over the chain: k0 writes 8 partial elements to scratch, k1 sums them into v1. */
    private List<KernelSpec> splitPair(KernelSpec between) {
        KernelSpec partial = new KernelSpec("partial", "gemm-partial", "", List.of(),
                List.of(new KernelArg.Read(a), new KernelArg.Scratch(8, true)), new long[] {4}, null, false);
        KernelSpec sum = new KernelSpec("sum", "split-k-sum", "", List.of(v1),
                List.of(new KernelArg.Output(), new KernelArg.Scratch(8, false)), new long[] {4}, null, false);
        List<KernelSpec> k = new ArrayList<>(List.of(partial));
        if (between != null) {
            k.add(between);
        }
        k.add(sum);
        return k;
    }

    @Test
    void scratchReadRightAfterItsWriterPassesAndReadLaterIsRefused() {
        BufferPlanCheck.verify(splitPair(null), plan(Map.of(v1, 0), 4), Set.of(v1), Set.of());
        Tensor w = a.sqrt();
        List<KernelSpec> late = splitPair(kernel("other", List.of(w), a));
        String m = refused(late, plan(Map.of(v1, 0, w, 1), 4, 4), Set.of(v1, w), Set.of());
        assertTrue(m.contains("sum reads scratch elements 0 to 8, but the kernel before it wrote none"), m);
    }

    /** A strided weight gradient's three kernels: phases into scratch [8, 20), partials from them into [0, 8), their sum. */
    private List<KernelSpec> phasedSplit(KernelArg.Scratch partialReads, KernelArg.Scratch partialWrites) {
        KernelSpec phases = new KernelSpec("phases", "gemm", "", List.of(), List.of(new KernelArg.Scratch(8, 12, true), new KernelArg.Read(a)),
                new long[] {4}, null, false);
        KernelSpec partial = new KernelSpec("partial", "gemm-partial", "", List.of(), List.of(partialWrites, new KernelArg.Read(a),
                partialReads), new long[] {4}, null, false);
        KernelSpec sum = new KernelSpec("sum", "split-k-sum", "", List.of(v1), List.of(new KernelArg.Output(), new KernelArg.Scratch(8, false)),
                new long[] {4}, null, false);
        return List.of(phases, partial, sum);
    }

    @Test
    void aKernelReadsOneScratchRegionAndWritesAnother() {
        BufferPlanCheck.verify(phasedSplit(new KernelArg.Scratch(8, 12, false), new KernelArg.Scratch(8, true)), plan(Map.of(v1, 0), 4),
                Set.of(v1), Set.of());
        String m = refused(phasedSplit(new KernelArg.Scratch(6, 12, false), new KernelArg.Scratch(6, true)), plan(Map.of(v1, 0), 4),
                Set.of(v1), Set.of());
        assertTrue(m.contains("partial reads scratch elements 6 to 18, but the kernel before it wrote only 8 to 20"), m);
        m = refused(phasedSplit(new KernelArg.Scratch(8, 12, false), new KernelArg.Scratch(10, true)), plan(Map.of(v1, 0), 4), Set.of(v1),
                Set.of());
        assertTrue(m.contains("partial writes scratch elements 0 to 10, which it reads"), m);
    }

    @Test
    void aKernelWritingTheSlotItReadsIsRefused() {
        String m = refused(chain, plan(Map.of(v1, 0, v2, 1, v3, 1), 4, 4), Set.of(v3), Set.of());
        assertTrue(m.contains(id(v3)) && m.contains(id(v2)) && m.contains("k2 reads it"), m);
    }

    @Test
    void twoOutputsOfOneKernelInOneSlotAreRefused() {
        List<KernelSpec> both = List.of(kernel("k0", List.of(v1, v2), a));
        String m = refused(both, plan(Map.of(v1, 0, v2, 0), 4), Set.of(v1, v2), Set.of());
        assertTrue(m.contains(id(v1)) && m.contains(id(v2)) && m.contains("k0 writes both"), m);
    }

    @Test
    void aSlotReusedWhileItsValueIsStillToBeReadIsRefused() {
        Tensor w = a.sqrt();
        List<KernelSpec> k = List.of(kernel("k0", List.of(v1), a), kernel("k1", List.of(w), a), kernel("k2", List.of(v2), v1, w));
        String m = refused(k, plan(Map.of(v1, 0, w, 0, v2, 1), 4, 4), Set.of(v2), Set.of());
        assertTrue(m.contains(id(w)) && m.contains(id(v1)) && m.contains("live from k0 to k2"), m);
    }

    @Test
    void anOutputOverwrittenBeforeTheRunEndsIsRefused() {
        String m = refused(chain, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 4), Set.of(v1, v3), Set.of());
        assertTrue(m.contains(id(v3)) && m.contains(id(v1)) && m.contains("to the end of the run"), m);
    }

    @Test
    void aReadBeforeTheWriteOrOfAValueNoKernelWritesIsRefused() {
        List<KernelSpec> early = List.of(chain.get(1), chain.get(0), chain.get(2));
        String m = refused(early, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 4), Set.of(v3), Set.of());
        assertTrue(m.contains("k1 reads " + id(v1)) && m.contains("only k0 writes, later"), m);
        m = refused(chain.subList(1, 3), plan(Map.of(v2, 1, v3, 0), 4, 4), Set.of(v3), Set.of());
        assertTrue(m.contains("k1 reads " + id(v1)) && m.contains("no kernel writes"), m);
    }

    @Test
    void aSlotTooSmallIsRefused() {
        String m = refused(chain, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 3), Set.of(v3), Set.of());
        assertTrue(m.contains("slot 1 holds 3 elements, too few for " + id(v2)), m);
    }

    @Test
    void aSlotThatUpdatesSwapMustHoldItsValueAloneAndExactly() {
        BufferPlanCheck.verify(chain, plan(Map.of(v1, 0, v2, 1, v3, 2), 4, 4, 4), Set.of(v3), Set.of(v3));
        String m = refused(chain, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 4), Set.of(v3), Set.of(v3));
        assertTrue(m.contains("slot 0 is swapped with a parameter's buffer after each run for " + id(v3))
                && m.contains("but also holds " + id(v1)), m);
        m = refused(chain, plan(Map.of(v1, 0, v2, 1, v3, 2), 4, 4, 8), Set.of(v3), Set.of(v3));
        assertTrue(m.contains("holds 8 elements, not exactly the 4 of " + id(v3)), m);
    }

    @Test
    void aKernelReadingWhatItWritesIsRefused() {
        List<KernelSpec> self = List.of(kernel("k0", List.of(v1), a, v1));
        String m = refused(self, plan(Map.of(v1, 0), 4), Set.of(v1), Set.of());
        assertTrue(m.contains("k0 reads " + id(v1)) && m.contains("only k0 writes, later"), m);
    }

    @Test
    void theBytesOfAPlanAreItsSlotsInFloats() {
        assertEquals(4 * (4 + 6), plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 6).bytes());
        assertEquals(2, plan(Map.of(v1, 0, v2, 1, v3, 0), 4, 6).slots());
    }

    @Test
    void isolatingKeepsAnExclusiveExactSlotAndMovesEveryOtherValue() {
        BufferAssignment p = plan(Map.of(v1, 1, v2, 0, v3, 1), 4, 6);
        assertEquals(0, p.isolate(v2), "v2 alone in slot 0, of exactly its size: stays");
        BufferAssignment shared = plan(Map.of(v1, 1, v2, 0, v3, 1), 4, 4);
        assertEquals(2, shared.isolate(v3), "v3 shares slot 1 with v1: a new slot");
        assertEquals(2, shared.slot(v3));
        assertEquals(1, shared.slot(v1));
        assertEquals(4, shared.elements(2));
        assertEquals(2, shared.isolate(v3), "now alone and exact: stays");
        BufferAssignment larger = plan(Map.of(v1, 0, v2, 1, v3, 2), 4, 4, 8);
        assertEquals(3, larger.isolate(v3), "alone but larger than its value: a new slot of its exact size");
        assertEquals(4, larger.elements(3));
    }
}
