package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.gemm.Epilogue;
import org.arcgrad.opencl.gemm.GemmDefaults;
import org.arcgrad.opencl.gemm.GemmKernel;
import org.arcgrad.opencl.gemm.GemmParams;
import org.arcgrad.opencl.gemm.GemmTemplate;
import org.arcgrad.opencl.gemm.GemmVariant;
import org.arcgrad.opencl.gemm.PatchGemm;
import org.arcgrad.opencl.gemm.PatchWeightGradient;
import org.arcgrad.opencl.gemm.PlaneConvolution;
import org.arcgrad.opencl.gemm.SamePlanes;
import org.arcgrad.opencl.gemm.SplitK;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Matrix-product kernels for scheduled MATMUL nodes, from the tuned {@link GemmTemplate} with the
 * device's parameters for its shape ({@link GemmDefaults#forShape}). Operands are buffers, each possibly read transposed (see
 * {@link Schedule.GemmOperand}), so backward's products need no transpose copies. On the CPU plan,
 * a convolution's products that read a patch matrix read its image in place instead
 * ({@link Schedule#implicitPatches}): {@link PatchGemm}, {@link PlaneConvolution} and
 * {@link PatchWeightGradient}.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    /**
     * Sizes and strides are kernel arguments, so one source serves every product of a variant:
     * it is named by the variant alone and built as a program of its own, which the program cache
     * then shares across graphs (a GEMM costs PoCL seconds to compile). The plane kernels of a
     * convolution compile their sizes in: they are part of the graph's program, named {@code name}.
     *
     * <p>A product with few output tiles and a long K ({@link SplitK#slices} above 1) renders as
     * two kernels: the partial products over slices of K into the scratch buffer, then their sum
     * into the node's buffer (both standalone programs: sizes are arguments).
     */
    static List<KernelSpec> render(Tensor node, DeviceLimits device, String name) {
        Tensor patches = Schedule.implicitPatches(node, device.type() == DeviceType.CPU);
        if (patches != null) {
            return node.input(1) == patches ? List.of(patchProduct(node, patches, name)) : patchWeightGradient(node, patches, name);
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

    /**
     * W · IM2COL(x) with the patches read from x in place ({@link PlaneConvolution} where the
     * planes keep their size, else {@link PatchGemm}), stored as the [O, N·H'·W'] product.
     */
    private static KernelSpec patchProduct(Tensor node, Tensor patches, String name) {
        Tensor image = patches.input(0);
        Conv2d g = Conv2d.of(patches.attrs());
        int[] e = Conv2d.extents(patches.attrs()); // H, W, KH, KW
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int c = image.shape().dim(1);
        int taps = e[2] * e[3];
        KernelRenderer.checkedSize(node.shape());
        KernelRenderer.checkedSize(image.shape());
        int[] geometry = {c, e[0], e[1], g.outputHeight(e[0], e[2]), g.outputWidth(e[1], e[3]), e[2], e[3], g.strideH(), g.strideW(),
            g.padH(), g.padW(), g.dilationH(), g.dilationW()};
        return patchKernel(node, name, m, n, Schedule.GemmOperand.of(node.input(0)).matrix, new int[] {c * taps, taps, 1, 0},
                Schedule.storage(image), new int[] {c * e[0] * e[1], e[0] * e[1]}, geometry, false);
    }

    /**
     * G · IM2COL(x)ᵀ, a stride-1 convolution's weight gradient, with x read in place and G [O,
     * N·H·W] as it is ({@link PatchWeightGradient}): the partial sums of each block of images into
     * the scratch buffer, then their sum into the node's buffer; one kernel when there is one block.
     * Sizes are compiled in, so the first kernel is part of the graph's program, under its own name.
     */
    private static List<KernelSpec> patchWeightGradient(Tensor node, Tensor patches, String name) {
        Tensor image = patches.input(0);
        Conv2d g = Conv2d.of(patches.attrs());
        int[] e = Conv2d.extents(patches.attrs()); // H, W, KH, KW
        Shape x = image.shape();
        int o = node.shape().dim(0);
        int plane = e[0] * e[1];
        KernelRenderer.checkedSize(node.shape());
        KernelRenderer.checkedSize(x);
        SamePlanes planes = SamePlanes.of(e[0], e[1], e[2], e[3], g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(),
                g.dilationW()).orElseThrow();
        PatchWeightGradient kernel = new PatchWeightGradient(x.dim(0), x.dim(1), o, planes, plane, (long) x.dim(0) * plane);
        List<KernelArg> reads = List.of(new KernelArg.Read(Schedule.GemmOperand.of(node.input(0)).matrix),
                new KernelArg.Read(Schedule.storage(image)));
        long elements = (long) node.shape().numel();
        if (kernel.blocks() == 1) {
            List<KernelArg> args = new java.util.ArrayList<>(List.of(new KernelArg.Output()));
            args.addAll(reads);
            return List.of(new KernelSpec(name, "gemm", kernel.source(name), node, List.copyOf(args), kernel.globalSize(), kernel.localSize(),
                    false));
        }
        long partials = elements * kernel.blocks();
        List<KernelArg> args = new java.util.ArrayList<>(List.of(new KernelArg.Scratch(partials, true)));
        args.addAll(reads);
        KernelSpec partial = new KernelSpec(name, "gemm-partial", kernel.source(name), List.of(), List.copyOf(args), kernel.globalSize(),
                kernel.localSize(), false);
        KernelSpec sum = new KernelSpec(SplitK.SUM_KERNEL, "split-k-sum", SplitK.sumSource(), node,
                List.of(new KernelArg.Output(), new KernelArg.Scratch(partials, false), new KernelArg.Int((int) elements),
                        new KernelArg.Int(kernel.blocks())),
                SplitK.sumGlobalSize(elements), SplitK.sumLocalSize(), true);
        return List.of(partial, sum);
    }

    /**
     * COL2IM(Wᵀ · G) of a stride-1 convolution (its input gradient, G the output gradient as
     * [O, N·H'·W']) as the convolution of G with W transposed and flipped ({@link PlaneConvolution}
     * where the planes keep their size, else {@link PatchGemm}), written straight into the
     * [N, C, H, W] image: no patch-gradient matrix, no col2im pass.
     */
    static KernelSpec transposedPatchProduct(Tensor col2im, Tensor product, String name) {
        Conv2d g = Conv2d.of(col2im.attrs());
        int[] e = Conv2d.extents(col2im.attrs()); // H, W, KH, KW of the image
        Shape image = col2im.shape();
        int c = image.dim(1);
        int o = product.input(1).shape().dim(0);
        int taps = e[2] * e[3];
        int oh = g.outputHeight(e[0], e[2]);
        int ow = g.outputWidth(e[1], e[3]);
        KernelRenderer.checkedSize(image);
        KernelRenderer.checkedSize(product.input(1).shape());
        int positions = image.dim(0) * e[0] * e[1];
        int imagePositions = oh * ow;
        // the output gradient's planes are [H', W'], read at padding DH·(KH − 1) − PH, the taps reversed
        int[] geometry = {o, oh, ow, e[0], e[1], e[2], e[3], 1, 1, g.dilationH() * (e[2] - 1) - g.padH(),
            g.dilationW() * (e[3] - 1) - g.padW(), g.dilationH(), g.dilationW()};
        return patchKernel(col2im, name, c, positions, Schedule.GemmOperand.of(product.input(0)).matrix,
                new int[] {taps, c * taps, -1, taps - 1}, Schedule.GemmOperand.of(product.input(1)).matrix,
                new int[] {imagePositions, image.dim(0) * imagePositions}, geometry, true);
    }

    /**
     * The kernel spec of a product over positions that reads its patches in place: a
     * {@link PlaneConvolution} (sizes compiled in, named {@code name}) where the geometry fits it,
     * else {@link PatchGemm} with its arguments in order. geometry: C, H, W, OH, OW, KH, KW, SH, SW,
     * PH, PW, DH, DW.
     */
    private static KernelSpec patchKernel(Tensor node, String name, int m, int n, Tensor a, int[] aStrides, Tensor x, int[] xStrides,
                                          int[] geometry, boolean planes) {
        int[] e = geometry;
        java.util.Optional<SamePlanes> same = SamePlanes.of(e[1], e[2], e[5], e[6], e[7], e[8], e[9], e[10], e[11], e[12])
                .filter(PlaneConvolution::fits);
        if (same.isPresent()) {
            int plane = e[3] * e[4];
            long[] outStrides = planes ? new long[] {(long) m * plane, plane} : new long[] {plane, n};
            PlaneConvolution kernel = new PlaneConvolution(n / plane, e[0], m, same.get(), aStrides, new long[] {xStrides[0], xStrides[1]},
                    outStrides);
            return new KernelSpec(name, "gemm", kernel.source(name), node,
                    List.of(new KernelArg.Output(), new KernelArg.Read(a), new KernelArg.Read(x)), kernel.globalSize(), kernel.localSize(),
                    false);
        }
        List<KernelArg> args = new java.util.ArrayList<>(List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Read(a)));
        for (int s : aStrides) {
            args.add(new KernelArg.Int(s));
        }
        args.add(new KernelArg.Read(x));
        for (int s : xStrides) {
            args.add(new KernelArg.Int(s));
        }
        for (int v : geometry) {
            args.add(new KernelArg.Int(v));
        }
        args.addAll(List.of(new KernelArg.Output(), new KernelArg.Int(n), new KernelArg.Int(planes ? 1 : 0)));
        return new KernelSpec(PatchGemm.NAME, "gemm", PatchGemm.source(), node, List.copyOf(args), PatchGemm.globalSize(m, n),
                PatchGemm.localSize(), true);
    }
}
