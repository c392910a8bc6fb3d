package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.Epilogue;
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmKernel;
import org.arcgrad.opencl.gemm.GemmParams;
import org.arcgrad.opencl.gemm.GemmTemplate;
import org.arcgrad.opencl.gemm.GemmVariant;

/**
 * Matrix-product kernels for scheduled MATMUL nodes, from the tuned {@link GemmTemplate} with the
 * device's default parameters. Operands are buffers, each possibly read transposed (see
 * {@link Schedule.GemmOperand}), so backward's products need no transpose copies.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    /**
     * Sizes and strides are kernel arguments, so one source serves every product of a variant:
     * it is named by the variant alone and built as a program of its own, which the program cache
     * then shares across graphs (a GEMM costs PoCL seconds to compile).
     */
    static KernelSpec render(Tensor node, DeviceLimits device) {
        Schedule.GemmOperand a = Schedule.GemmOperand.of(node.input(0));
        Schedule.GemmOperand b = Schedule.GemmOperand.of(node.input(1));
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        KernelRenderer.checkedSize(node.shape());
        GemmVariant variant = GemmVariant.of(a.transposed, b.transposed);
        String name = "arcgrad_gemm_" + variant.name().toLowerCase(java.util.Locale.ROOT);
        GemmParams params = GemmDefaults.forShape(device, variant, m, n, k);
        if (!params.equals(GemmDefaults.forDevice(device, variant))) {
            name += "_short_k"; // another program than the variant's usual one: its own name, its own cache entry
        }
        GemmKernel kernel = GemmTemplate.render(variant, params, Epilogue.identity(), name);
        int[] ld = kernel.denseLeadingDimensions(m, n, k);
        // the template's argument order: M, N, K, A, lda, B, ldb, C, ldc
        List<KernelArg> args = List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Int(k),
                new KernelArg.Read(a.matrix), new KernelArg.Int(ld[0]), new KernelArg.Read(b.matrix), new KernelArg.Int(ld[1]),
                new KernelArg.Output(), new KernelArg.Int(ld[2]));
        return new KernelSpec(name, "gemm", kernel.source(), node, args, kernel.globalSize(m, n), kernel.localSize(), true);
    }
}
