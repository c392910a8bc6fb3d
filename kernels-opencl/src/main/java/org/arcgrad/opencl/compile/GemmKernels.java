package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * Matrix-product kernels for scheduled MATMUL nodes. Operands are buffers, each possibly read
 * transposed (see {@link Schedule.GemmOperand}), so backward's products need no transpose copies.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    static KernelSpec render(Tensor node, String name) {
        Schedule.GemmOperand a = Schedule.GemmOperand.of(node.input(0));
        Schedule.GemmOperand b = Schedule.GemmOperand.of(node.input(1));
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        KernelRenderer.checkedSize(node.shape());
        // A(row, i): A is M×K, or stored K×M when transposed; likewise B(i, col), K×N or N×K.
        String aAt = a.transposed ? "a[i * " + m + " + row]" : "a[row * " + k + " + i]";
        String bAt = b.transposed ? "b[col * " + k + " + i]" : "b[i * " + n + " + col]";
        String src = "__kernel void " + name + "(__global float* restrict out, __global const float* restrict a, "
                + "__global const float* restrict b) {\n"
                + "    const int col = get_global_id(0);\n"
                + "    const int row = get_global_id(1);\n"
                + "    if (row >= " + m + " || col >= " + n + ") return;\n"
                + "    float acc = 0.0f;\n"
                + "    for (int i = 0; i < " + k + "; i++) acc += " + aAt + " * " + bAt + ";\n"
                + "    out[row * " + n + " + col] = acc;\n"
                + "}\n";
        return new KernelSpec(name, "gemm", src, node, List.of(a.matrix, b.matrix),
                new long[] {KernelRenderer.roundUp(n, 8), KernelRenderer.roundUp(m, 8)}, new long[] {8, 8});
    }
}
