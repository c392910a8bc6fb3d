package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Tensor;

/**
 * Gives every kernel output a device buffer slot, reusing the slot of an intermediate once its
 * last reader has run: peak memory follows the live set, not the whole graph. Each value lives
 * from the kernel that writes it to the last kernel that reads it (outputs to the end of the run:
 * they are read back after it); two values share a slot only when their lives do not meet, so a
 * kernel's output never shares a slot with one of its own inputs, nor with another output. The
 * values are placed largest first, each in the first slot free for its whole life, else a new
 * slot of its size ("greedy by size", as TFLite plans its tensors): large values share slots
 * among themselves and small ones fill the gaps. Placed in launch order instead, small values
 * took the slots of dead large ones and each later large value needed a slot of its own (the
 * ResNet step: 502 MiB against 454). Every kernel output is read by a later kernel or kept (the
 * schedule materializes only what a kernel reads or an output needs).
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
        Map<Tensor, Integer> written = new HashMap<>();
        Map<Tensor, Integer> lastRead = new HashMap<>();
        List<Tensor> values = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor t : kernels.get(i).inputs()) {
                lastRead.put(t, i);
            }
            for (Tensor output : kernels.get(i).outputs()) {
                written.put(output, i);
                values.add(output);
            }
        }
        // largest first (ties in launch order): a slot is made for a large value and smaller ones fill
        // the time it is free; placed in launch order, small values took the slots of large ones that
        // had died, and every later large value needed a new slot
        values.sort(Comparator.comparingLong((Tensor t) -> t.shape().numel()).reversed().thenComparingInt(written::get));
        Map<Tensor, Integer> slotOf = new HashMap<>();
        List<Long> sizes = new ArrayList<>();
        List<Tensor> first = new ArrayList<>();
        List<List<int[]>> busy = new ArrayList<>(); // per slot, the launch intervals [written, last read] of its values
        for (Tensor t : values) {
            int from = written.get(t);
            int to = kept.contains(t) ? Integer.MAX_VALUE : lastRead.getOrDefault(t, from);
            int slot = -1;
            for (int s = 0; s < sizes.size() && slot < 0; s++) {
                // both ends inclusive: a kernel never writes a buffer it reads, nor two outputs into one
                boolean free = busy.get(s).stream().noneMatch(iv -> iv[0] <= to && from <= iv[1]);
                if (free) {
                    slot = s;
                }
            }
            if (slot < 0) {
                slot = sizes.size();
                sizes.add(t.shape().numel());
                first.add(t);
                busy.add(new ArrayList<>());
            }
            busy.get(slot).add(new int[] {from, to});
            slotOf.put(t, slot);
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
