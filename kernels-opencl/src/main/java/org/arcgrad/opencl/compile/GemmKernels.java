package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.Epilogue;
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmKernel;
import org.arcgrad.opencl.gemm.GemmParams;
import org.arcgrad.opencl.gemm.GemmTemplate;
import org.arcgrad.opencl.gemm.GemmVariant;
import org.arcgrad.opencl.gemm.PatchGemm;
import org.arcgrad.opencl.gemm.SplitK;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Matrix-product kernels for scheduled MATMUL nodes, from the tuned {@link GemmTemplate} with the
 * device's parameters for its shape ({@link GemmDefaults#forShape}). Operands are buffers, each possibly read transposed (see
 * {@link Schedule.GemmOperand}), so backward's products need no transpose copies.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    /**
     * Sizes and strides are kernel arguments, so one source serves every product of a variant:
     * it is named by the variant alone and built as a program of its own, which the program cache
     * then shares across graphs (a GEMM costs PoCL seconds to compile).
     *
     * <p>A product with few output tiles and a long K ({@link SplitK#slices} above 1) renders as
     * two kernels: the partial products over slices of K into the scratch buffer, then their sum
     * into the node's buffer (both standalone programs: sizes are arguments).
     */
    static List<KernelSpec> render(Tensor node, DeviceLimits device) {
        Tensor patches = Schedule.implicitPatches(node, device.type() == DeviceType.CPU);
        if (patches != null) {
            return List.of(patchProduct(node, patches));
        }
        Schedule.GemmOperand a = Schedule.GemmOperand.of(node.input(0));
        Schedule.GemmOperand b = Schedule.GemmOperand.of(node.input(1));
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        KernelRenderer.checkedSize(node.shape());
        GemmVariant variant = GemmVariant.of(a.transposed, b.transposed);
        String gemmName = "arcgrad_gemm_" + variant.name().toLowerCase(java.util.Locale.ROOT);
        GemmParams params = GemmDefaults.forShape(device, variant, m, n, k);
        if (!params.equals(GemmDefaults.forDevice(device, variant))) {
            // another program than the variant's usual one: its own name, its own cache entry
            gemmName += "_" + params.mwg() + "x" + params.nwg() + "x" + params.kwg() + (params.localMemory() ? "_local" : "");
        }
        int slices = SplitK.slices(device, variant, params, m, n, k);
        if (slices == 1) {
            GemmKernel kernel = GemmTemplate.render(variant, params, Epilogue.identity(), gemmName);
            int[] ld = kernel.denseLeadingDimensions(m, n, k);
            // the template's argument order: M, N, K, A, lda, B, ldb, C, ldc
            List<KernelArg> args = List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Int(k),
                    new KernelArg.Read(a.matrix), new KernelArg.Int(ld[0]), new KernelArg.Read(b.matrix), new KernelArg.Int(ld[1]),
                    new KernelArg.Output(), new KernelArg.Int(ld[2]));
            return List.of(new KernelSpec(gemmName, "gemm", kernel.source(), node, args, kernel.globalSize(m, n), kernel.localSize(), true));
        }
        GemmKernel kernel = GemmTemplate.renderSplitK(variant, params, gemmName + "_split_k");
        int[] ld = kernel.denseLeadingDimensions(m, n, k);
        long elements = (long) m * n;
        long partials = elements * slices;
        // the split template's argument order: M, N, K_all, KS, A, lda, B, ldb, C, ldc
        List<KernelArg> partialArgs = List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Int(k),
                new KernelArg.Int(SplitK.sliceLength(k, slices)), new KernelArg.Read(a.matrix), new KernelArg.Int(ld[0]),
                new KernelArg.Read(b.matrix), new KernelArg.Int(ld[1]), new KernelArg.Scratch(partials, true), new KernelArg.Int(ld[2]));
        KernelSpec partial = new KernelSpec(kernel.name(), "gemm-partial", kernel.source(), List.of(), partialArgs,
                SplitK.globalSize(kernel, m, n, slices), SplitK.localSize(kernel), true);
        KernelSpec sum = new KernelSpec(SplitK.SUM_KERNEL, "split-k-sum", SplitK.sumSource(), node,
                List.of(new KernelArg.Output(), new KernelArg.Scratch(partials, false), new KernelArg.Int((int) elements),
                        new KernelArg.Int(slices)),
                SplitK.sumGlobalSize(elements), SplitK.sumLocalSize(), true);
        return List.of(partial, sum);
    }

    /** W · IM2COL(x) with the patches read from x in place ({@link PatchGemm}). */
    private static KernelSpec patchProduct(Tensor node, Tensor patches) {
        Tensor image = patches.input(0);
        Conv2d g = Conv2d.of(patches.attrs());
        int[] extents = Conv2d.extents(patches.attrs()); // H, W, KH, KW
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        KernelRenderer.checkedSize(node.shape());
        KernelRenderer.checkedSize(image.shape());
        int oh = g.outputHeight(extents[0], extents[2]);
        int ow = g.outputWidth(extents[1], extents[3]);
        // the kernel's argument order: see PatchGemm
        List<KernelArg> args = List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Read(Schedule.GemmOperand.of(node.input(0)).matrix),
                new KernelArg.Int(k), new KernelArg.Read(Schedule.storage(image)), new KernelArg.Int(image.shape().dim(1)),
                new KernelArg.Int(extents[0]), new KernelArg.Int(extents[1]), new KernelArg.Int(oh), new KernelArg.Int(ow),
                new KernelArg.Int(extents[2]), new KernelArg.Int(extents[3]), new KernelArg.Int(g.strideH()), new KernelArg.Int(g.strideW()),
                new KernelArg.Int(g.padH()), new KernelArg.Int(g.padW()), new KernelArg.Int(g.dilationH()), new KernelArg.Int(g.dilationW()),
                new KernelArg.Output(), new KernelArg.Int(n));
        return new KernelSpec(PatchGemm.NAME, "gemm", PatchGemm.source(), node, args, PatchGemm.globalSize(m, n), PatchGemm.localSize(), true);
    }
}
