package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.arcgrad.autodiff.Tensor;

/**
 * Gives every kernel output a device buffer slot, reusing the slot of an intermediate as soon as
 * its last reader has run: peak memory follows the live set, not the whole graph. Outputs keep
 * their slots (they are read back after the run). A slot is reused by the smallest free slot
 * that is large enough; a kernel's output never shares a slot with one of its own inputs. Every
 * kernel output is read by a later kernel or kept (the schedule materializes only what a kernel
 * reads or an output needs), so a slot comes free after its value's last read.
 */
public final class BufferAssignment {
    private final Map<Tensor, Integer> slotOf;
    private final List<Long> slotElements;
    private final List<Tensor> firstHeld;

    private BufferAssignment(Map<Tensor, Integer> slotOf, List<Long> slotElements, List<Tensor> firstHeld) {
        this.slotOf = slotOf;
        this.slotElements = slotElements;
        this.firstHeld = firstHeld;
    }

    public static BufferAssignment of(List<KernelSpec> kernels, Set<Tensor> kept) {
        Map<Tensor, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor t : kernels.get(i).inputs()) {
                lastRead.put(t, i);
            }
        }
        Map<Tensor, Integer> slotOf = new HashMap<>();
        List<Long> sizes = new ArrayList<>();
        List<Tensor> first = new ArrayList<>();
        TreeMap<Long, List<Integer>> free = new TreeMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            KernelSpec k = kernels.get(i);
            // all outputs get their slots before the kernel's dead inputs are freed: a kernel never
            // writes a buffer it reads, nor two outputs into one buffer
            for (Tensor output : k.outputs()) {
                long need = output.shape().numel();
                Map.Entry<Long, List<Integer>> fit = free.ceilingEntry(need);
                int slot;
                if (fit != null) {
                    slot = fit.getValue().remove(fit.getValue().size() - 1);
                    if (fit.getValue().isEmpty()) {
                        free.remove(fit.getKey());
                    }
                } else {
                    slot = sizes.size();
                    sizes.add(need);
                    first.add(output);
                }
                slotOf.put(output, slot);
            }
            // a kernel may read one buffer twice (the GEMM of e·eᵀ): its slot is freed once
            for (Tensor t : new LinkedHashSet<>(k.inputs())) {
                Integer s = slotOf.get(t);
                if (s != null && lastRead.get(t) == i && !kept.contains(t)) {
                    free.computeIfAbsent(sizes.get(s), x -> new ArrayList<>()).add(s);
                }
            }
        }
        return new BufferAssignment(slotOf, sizes, first);
    }

    /**
     * A plan made elsewhere: each value's slot and each slot's size. For tests that plant a faulty
     * planner (see {@link BufferPlanCheck}); the compiler makes its plans with {@link #of}.
     */
    public static BufferAssignment ofSlots(Map<Tensor, Integer> slotOf, List<Long> slotElements) {
        List<Tensor> first = new ArrayList<>(java.util.Collections.nCopies(slotElements.size(), (Tensor) null));
        for (Map.Entry<Tensor, Integer> e : slotOf.entrySet()) {
            Tensor held = first.get(e.getValue());
            if (held == null || e.getKey().id() < held.id()) {
                first.set(e.getValue(), e.getKey());
            }
        }
        return new BufferAssignment(new HashMap<>(slotOf), new ArrayList<>(slotElements), first);
    }

    /**
     * Moves {@code node} to a new slot of its own, exactly its size, that no other node uses, and
     * returns it. {@link org.arcgrad.opencl.Executable#update} needs this: it swaps an output's
     * slot buffer with a parameter's, so that slot must hold nothing else, and nothing larger.
     */
    public int isolate(Tensor node) {
        int old = slot(node);
        long users = slotOf.values().stream().filter(s -> s == old).count();
        if (users == 1 && slotElements.get(old) == node.shape().numel()) {
            return old;
        }
        int s = slotElements.size();
        slotElements.add(node.shape().numel());
        firstHeld.add(node);
        slotOf.put(node, s);
        return s;
    }

    /** The slot holding a kernel output's value. */
    public int slot(Tensor node) {
        Integer s = slotOf.get(node);
        if (s == null) {
            throw new IllegalArgumentException("no slot for " + node.describe());
        }
        return s;
    }

    /** The node a slot was made for (later nodes may reuse it): names the buffer in messages. */
    public Tensor firstHeld(int slot) {
        return firstHeld.get(slot);
    }

    public int slots() {
        return slotElements.size();
    }

    /** Elements (fp32) of a slot: the largest value it ever holds. */
    public long elements(int slot) {
        return slotElements.get(slot);
    }

    /** Bytes of all slots together: the intermediates' peak device memory. */
    public long bytes() {
        long b = 0;
        for (long e : slotElements) {
            b += 4 * e;
        }
        return b;
    }
}
