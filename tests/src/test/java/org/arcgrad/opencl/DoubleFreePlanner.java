package org.arcgrad.opencl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.BufferAssignment;
import org.arcgrad.opencl.compile.BufferPlanner;
import org.arcgrad.opencl.compile.KernelSpec;

/**
 * The buffer planner as it was before the fix, planted by tests: a kernel that reads one buffer
 * twice (the GEMM of e·eᵀ) frees its slot twice, so two later values can share one buffer.
 * Otherwise the planner of that time: values placed in launch order, each in the smallest free
 * slot large enough ({@link BufferAssignment#of} now places them largest first).
 */
final class DoubleFreePlanner implements BufferPlanner {
    @Override
    public BufferAssignment plan(List<KernelSpec> kernels, Set<Tensor> kept) {
        Map<Tensor, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor t : kernels.get(i).inputs()) {
                lastRead.put(t, i);
            }
        }
        Map<Tensor, Integer> slotOf = new HashMap<>();
        List<Long> sizes = new ArrayList<>();
        TreeMap<Long, List<Integer>> free = new TreeMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            KernelSpec k = kernels.get(i);
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
                }
                slotOf.put(output, slot);
            }
            for (Tensor t : k.inputs()) { // the planted fault: a buffer read twice is freed twice
                Integer s = slotOf.get(t);
                if (s != null && lastRead.get(t) == i && !kept.contains(t)) {
                    free.computeIfAbsent(sizes.get(s), x -> new ArrayList<>()).add(s);
                }
            }
            for (Tensor output : k.outputs()) {
                if (!lastRead.containsKey(output) && !kept.contains(output)) {
                    int slot = slotOf.get(output);
                    free.computeIfAbsent(sizes.get(slot), x -> new ArrayList<>()).add(slot);
                }
            }
        }
        return BufferAssignment.ofSlots(slotOf, sizes);
    }
}
