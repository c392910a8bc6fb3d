package org.arcgrad.opencl.compile;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * Checks a buffer plan ({@link BufferAssignment}) against the kernels it serves before anything
 * runs, so that a planning mistake is an internal error at compile time and never a wrong number
 * at run time. A value is live from the kernel that writes it to its last reader (to the end of
 * the run if it is kept: an output read back, or a value an update swaps). The plan must satisfy:
 * <ul>
 *   <li>every read of a computed value comes after the kernel that writes it (sources are fed);</li>
 *   <li>no two values that are live at the same time share a slot; in particular no kernel writes
 *       a slot that it reads, and no kernel writes two outputs into one slot;</li>
 *   <li>every slot is large enough for each value it holds;</li>
 *   <li>a slot that {@code update} swaps with a parameter's buffer holds that value and nothing
 *       else, and has exactly its size;</li>
 *   <li>the scratch buffer is read only by the kernel right after the one that wrote it.</li>
 * </ul>
 * One pass over the kernels' arguments: linear in the size of the plan, cheap enough for every compile.
 */
public final class BufferPlanCheck {
    private BufferPlanCheck() {
    }

    /**
     * @param kept    values read after the run (outputs), live to its end
     * @param swapped values whose slot an update swaps with a parameter's buffer after each run
     * @throws BufferPlanViolation naming the values involved, when the plan breaks a rule
     */
    public static void verify(List<KernelSpec> kernels, BufferAssignment plan, Set<Tensor> kept, Set<Tensor> swapped) {
        Map<Tensor, Integer> writer = new HashMap<>();
        Map<Tensor, Integer> end = new HashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor o : kernels.get(i).outputs()) {
                if (writer.putIfAbsent(o, i) != null) {
                    throw new BufferPlanViolation(describe(o) + " is written by two kernels, " + kernels.get(writer.get(o)).name()
                            + " and " + kernels.get(i).name());
                }
                end.put(o, kept.contains(o) || swapped.contains(o) ? kernels.size() : i);
            }
        }
        // last reads, now that every writer is known (a read before its writer is caught below)
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor t : kernels.get(i).inputs()) {
                if (end.containsKey(t)) {
                    end.put(t, Math.max(end.get(t), i));
                }
            }
        }
        Tensor[] holder = new Tensor[plan.slots()];
        int[] holderEnd = new int[plan.slots()];
        java.util.Arrays.fill(holderEnd, -1);
        for (int i = 0; i < kernels.size(); i++) {
            KernelSpec k = kernels.get(i);
            for (Tensor t : new LinkedHashSet<>(k.inputs())) {
                if (t.op() == Op.INPUT || t.op() == Op.PARAM) {
                    continue;
                }
                Integer w = writer.get(t);
                if (w == null || w >= i) {
                    throw new BufferPlanViolation(k.name() + " reads " + describe(t) + ", which "
                            + (w == null ? "no kernel writes" : "only " + kernels.get(w).name() + " writes, later"));
                }
            }
            for (Tensor o : k.outputs()) {
                int s = plan.slot(o);
                if (plan.elements(s) < o.shape().numel()) {
                    throw new BufferPlanViolation("slot " + s + " holds " + plan.elements(s) + " elements, too few for "
                            + describe(o) + ", written by " + k.name());
                }
                if (holderEnd[s] >= i) {
                    Tensor other = holder[s];
                    String why = k.inputs().contains(other) ? k.name() + " reads it"
                            : k.outputs().contains(other) ? k.name() + " writes both"
                            : "it is live from " + kernels.get(writer.get(other)).name() + " to "
                            + (holderEnd[s] == kernels.size() ? "the end of the run" : kernels.get(holderEnd[s]).name());
                    throw new BufferPlanViolation("slot " + s + " is given to " + describe(o) + " (written by " + k.name()
                            + ") while it still holds " + describe(other) + ": " + why);
                }
                holder[s] = o;
                holderEnd[s] = end.get(o);
            }
        }
        checkScratch(kernels);
        Map<Integer, Tensor> swappedIn = new HashMap<>();
        for (Tensor u : swapped) {
            int s = plan.slot(u);
            if (plan.elements(s) != u.shape().numel()) {
                throw new BufferPlanViolation("slot " + s + ", swapped with a parameter's buffer after each run, holds "
                        + plan.elements(s) + " elements, not exactly the " + u.shape().numel() + " of " + describe(u));
            }
            swappedIn.put(s, u);
        }
        for (Tensor other : writer.keySet()) {
            Tensor u = swappedIn.get(plan.slot(other));
            if (u != null && u != other) {
                throw new BufferPlanViolation("slot " + plan.slot(other) + " is swapped with a parameter's buffer after each run for "
                        + describe(u) + " but also holds " + describe(other));
            }
        }
    }

    /**
     * The scratch buffer is one for all kernels: each region a kernel reads there must lie in one
     * that the very next kernel before it wrote, before anything else may write it; a kernel that
     * reads and writes scratch writes beside what it reads.
     */
    private static void checkScratch(List<KernelSpec> kernels) {
        List<KernelArg.Scratch> written = List.of(); // the regions the previous kernel wrote
        for (KernelSpec k : kernels) {
            List<KernelArg.Scratch> writes = new java.util.ArrayList<>();
            List<KernelArg.Scratch> reads = new java.util.ArrayList<>();
            for (KernelArg a : k.args()) {
                if (a instanceof KernelArg.Scratch s) {
                    (s.written() ? writes : reads).add(s);
                }
            }
            for (KernelArg.Scratch r : reads) {
                if (written.stream().noneMatch(w -> w.offset() <= r.offset() && r.end() <= w.end())) {
                    throw new BufferPlanViolation(k.name() + " reads scratch elements " + r.offset() + " to " + r.end()
                            + ", but the kernel before it " + (written.isEmpty() ? "wrote none" : "wrote only " + regions(written)));
                }
                for (KernelArg.Scratch w : writes) {
                    if (w.offset() < r.end() && r.offset() < w.end()) {
                        throw new BufferPlanViolation(k.name() + " writes scratch elements " + w.offset() + " to " + w.end()
                                + ", which it reads");
                    }
                }
            }
            written = writes;
        }
    }

    private static String regions(List<KernelArg.Scratch> regions) {
        StringBuilder b = new StringBuilder();
        for (KernelArg.Scratch r : regions) {
            b.append(b.length() == 0 ? "" : ", ").append(r.offset()).append(" to ").append(r.end());
        }
        return b.toString();
    }

    private static String describe(Tensor t) {
        return "%" + t.id() + " (" + t.op().label() + " " + t.shape() + ")";
    }

    /** A buffer plan that breaks a rule of {@link BufferPlanCheck}: a bug in the compiler, never the user's. */
    public static final class BufferPlanViolation extends IllegalStateException {
        BufferPlanViolation(String message) {
            super("internal error in arcgrad's buffer plan (a compiler bug; please report it with the graph): " + message);
        }
    }
}
