package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * The frame the window ops' direct kernels share ({@link ConvKernels}, {@link PoolKernels}): one
 * work-item per output element (or per output row, for the CPU forms of im2col and col2im), gid its flat index, the operands in buffers named a, b, ... in
 * order (each read as the row-major buffer behind its reshapes), groups of {@link KernelRenderer#GROUP}.
 */
final class WindowKernels {
    private WindowKernels() {
    }

    /**
     * The kernel computing {@code node} with {@code body} (which writes out[gid]) after the
     * functions in {@code helpers} (empty when none).
     */
    static KernelSpec perOutputElement(Tensor node, String name, String kind, String helpers, String body) {
        return perWorkItem(node, name, kind, helpers, body, KernelRenderer.checkedSize(node.shape()));
    }

    /** As {@link #perOutputElement}, with {@code items} work-items (gid below it), each writing what {@code body} says. */
    static KernelSpec perWorkItem(Tensor node, String name, String kind, String helpers, String body, long items) {
        KernelRenderer.checkedSize(node.shape());
        long total = items;
        List<Tensor> reads = new ArrayList<>();
        StringBuilder params = new StringBuilder("__global float* restrict out");
        for (int k = 0; k < node.arity(); k++) {
            KernelRenderer.checkedSize(node.input(k).shape());
            reads.add(Schedule.storage(node.input(k)));
            params.append(", __global const float* restrict ").append((char) ('a' + k));
        }
        String src = helpers + "__kernel void " + name + "(" + params + ") {\n"
                + "    const int gid = get_global_id(0);\n"
                + "    if (gid >= " + total + ") return;\n"
                + body
                + "}\n";
        return new KernelSpec(name, kind, src, node, KernelSpec.outputThenReads(reads),
                new long[] {KernelRenderer.roundUp(total, KernelRenderer.GROUP)}, new long[] {KernelRenderer.GROUP}, false);
    }
}
