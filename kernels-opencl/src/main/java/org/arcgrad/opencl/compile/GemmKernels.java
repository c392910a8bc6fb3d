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
import org.arcgrad.opencl.gemm.PhaseSplit;
import org.arcgrad.opencl.gemm.PlaneConvolution;
import org.arcgrad.opencl.gemm.RowFold;
import org.arcgrad.opencl.gemm.SamePlanes;
import org.arcgrad.opencl.gemm.SplitK;
import org.arcgrad.opencl.gemm.TransposedCopy;
import org.arcgrad.opencl.runtime.DeviceType;

/**
 * Matrix-product kernels for scheduled MATMUL nodes, from the tuned {@link GemmTemplate} with the
 * device's parameters for its shape ({@link GemmDefaults#forShape}). Operands are buffers, each possibly read transposed (see
 * {@link Schedule.GemmOperand}), so backward's products need no transpose copies; on the CPU plan a
 * wide x·Wᵀ copies x transposed ({@link TransposedCopy}) into the scratch buffer, to run as TT
 * ({@link GemmDefaults#forProduct}). On the CPU plan,
 * a convolution's products that read a patch matrix read its image in place instead
 * ({@link Schedule#implicitPatches}): {@link PatchGemm}, {@link PlaneConvolution} and
 * {@link PatchWeightGradient}, a strided convolution's from the image's phase planes, which a
 * {@link PhaseSplit} kernel writes into the scratch buffer just before.
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
            return node.input(1) == patches ? patchProduct(node, patches, name) : patchWeightGradient(node, patches, name);
        }
        Schedule.GemmOperand a = Schedule.GemmOperand.of(node.input(0));
        Schedule.GemmOperand b = Schedule.GemmOperand.of(node.input(1));
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        GemmDefaults.Choice choice = choice(node, device);
        GemmVariant variant = choice.variant();
        GemmParams params = choice.params();
        int slices = choice.slices();
        String gemmName = "arcgrad_gemm_" + variant.name().toLowerCase(java.util.Locale.ROOT);
        if (!params.equals(GemmDefaults.forDevice(device, variant))) {
            // another program than the variant's usual one: its own name, its own cache entry
            gemmName += "_" + params.mwg() + "x" + params.nwg() + "x" + params.kwg() + (params.localMemory() ? "_local" : "");
        }
        if (slices == 1) {
            List<KernelSpec> kernels = new java.util.ArrayList<>();
            KernelArg aRead = new KernelArg.Read(a.matrix);
            if (choice.copiesA()) {
                // A [M, K] transposed into the scratch buffer as [K, M], which the TT product reads
                long elements = (long) m * k;
                kernels.add(new KernelSpec(TransposedCopy.KERNEL, "transposed-copy", TransposedCopy.source(), List.of(),
                        List.of(new KernelArg.Scratch(elements, true), aRead, new KernelArg.Int(m), new KernelArg.Int(k)),
                        TransposedCopy.globalSize(m, k), null, true));
                aRead = new KernelArg.Scratch(elements, false);
            }
            GemmKernel kernel = GemmTemplate.render(variant, params, Epilogue.identity(), gemmName);
            List<KernelArg> args = templateArgs(node, kernel, aRead);
            kernels.add(new KernelSpec(gemmName, "gemm", kernel.source(), node, args, kernel.globalSize(m, n), kernel.localSize(), true));
            return kernels;
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
     * The template choice for a product whose rows a {@link RowFold} can fold: one kernel of the
     * template over the operands as stored, C's rows its rows; null for a product read as patches,
     * split along K, over a copy of A, or run as TT (which computes Cᵀ).
     */
    static GemmDefaults.Choice foldable(Tensor node, DeviceLimits device) {
        if (node.shape().rank() != 2 || Schedule.implicitPatches(node, device.type() == DeviceType.CPU) != null) {
            return null;
        }
        GemmDefaults.Choice choice = choice(node, device);
        return choice.slices() == 1 && !choice.copiesA() && choice.variant() != GemmVariant.TT ? choice : null;
    }

    /** How a product read from its operands' buffers runs on {@code device} ({@link GemmDefaults#forProduct}). */
    private static GemmDefaults.Choice choice(Tensor node, DeviceLimits device) {
        Schedule.GemmOperand a = Schedule.GemmOperand.of(node.input(0));
        Schedule.GemmOperand b = Schedule.GemmOperand.of(node.input(1));
        KernelRenderer.checkedSize(node.shape());
        return GemmDefaults.forProduct(device, GemmVariant.of(a.transposed, b.transposed), node.shape().dim(0), node.shape().dim(1),
                node.input(0).shape().dim(1));
    }

    /**
     * The template's arguments in its order, M, N, K, A, lda, B, ldb, C, ldc, for a product whose A
     * is {@code aRead} (its operand's buffer, or a copy of it) and whose C is the node's buffer.
     */
    private static List<KernelArg> templateArgs(Tensor node, GemmKernel kernel, KernelArg aRead) {
        int m = node.shape().dim(0);
        int n = node.shape().dim(1);
        int k = node.input(0).shape().dim(1);
        int[] ld = kernel.denseLeadingDimensions(m, n, k);
        return List.of(new KernelArg.Int(m), new KernelArg.Int(n), new KernelArg.Int(k), aRead, new KernelArg.Int(ld[0]),
                new KernelArg.Read(Schedule.GemmOperand.of(node.input(1)).matrix), new KernelArg.Int(ld[1]), new KernelArg.Output(),
                new KernelArg.Int(ld[2]));
    }

    /**
     * The product {@code node} with its rows folded by {@code fold} ({@link GemmTemplate#renderRowFold}),
     * the column tiles split among {@code splits} work-groups a row tile, the partials written to
     * the scratch buffer ({@code partials} floats), then the fold's reads. With centres, the fold
     * folds {@code centreMax} (the max over each class's centres of the product, [M, N / K, 1]),
     * which the kernel stores too. Part of the graph's program: the fold is this graph's.
     */
    static KernelSpec foldedProduct(Tensor node, Tensor centreMax, GemmDefaults.Choice choice, RowFold fold, List<Tensor> foldReads,
                                    int splits, long partials, String name) {
        GemmKernel kernel = GemmTemplate.renderRowFold(choice.variant(), choice.params(), name, fold);
        List<KernelArg> args = new java.util.ArrayList<>(templateArgs(node, kernel, new KernelArg.Read(Schedule.GemmOperand.of(node.input(0)).matrix)));
        List<Tensor> outputs = List.of(node);
        if (fold.centres() > 1) {
            outputs = List.of(node, centreMax);
            args.add(new KernelArg.Output(1));
            args.add(new KernelArg.Int(node.shape().dim(1) / fold.centres()));
        }
        args.add(new KernelArg.Scratch(partials, true));
        for (Tensor t : foldReads) {
            args.add(new KernelArg.Read(t));
        }
        return new KernelSpec(name, "gemm-fold", kernel.source(), outputs, args,
                kernel.globalSize(node.shape().dim(0), node.shape().dim(1), splits), kernel.localSize(), false);
    }

    /**
     * W · IM2COL(x) with the patches read from x in place ({@link PlaneConvolution} where the
     * output planes are as large as x's phase planes, from x's phases at a stride above 1, else
     * {@link PatchGemm}), stored as the [O, N·H'·W'] product.
     */
    private static List<KernelSpec> patchProduct(Tensor node, Tensor patches, String name) {
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
     * G · IM2COL(x)ᵀ, the weight gradient of a convolution whose output planes are as large as x's
     * phase planes ({@link SamePlanes}), with G [O, N·H'·W'] as it is and x read in place at stride
     * 1, else through its phase planes ({@link PhaseSplit}, into the scratch buffer)
     * ({@link PatchWeightGradient}): the partial sums of each block of images into the scratch
     * buffer (before the phases), then their sum into the node's buffer; one kernel when there is
     * one block. Sizes are compiled in, so the kernels but the sum are part of the graph's program,
     * under names of their own.
     */
    private static List<KernelSpec> patchWeightGradient(Tensor node, Tensor patches, String name) {
        Tensor image = patches.input(0);
        Conv2d g = Conv2d.of(patches.attrs());
        int[] e = Conv2d.extents(patches.attrs()); // H, W, KH, KW
        Shape x = image.shape();
        int o = node.shape().dim(0);
        KernelRenderer.checkedSize(node.shape());
        KernelRenderer.checkedSize(x);
        SamePlanes planes = SamePlanes.of(e[0], e[1], e[2], e[3], g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(),
                g.dilationW()).orElseThrow();
        int plane = planes.positions(); // of G, the output gradient
        long elements = (long) node.shape().numel();
        int blocks = new PatchWeightGradient(x.dim(0), x.dim(1), o, planes, plane, (long) x.dim(0) * plane).blocks();
        long partials = blocks == 1 ? 0 : elements * blocks;
        List<KernelSpec> kernels = new java.util.ArrayList<>();
        KernelArg xRead = new KernelArg.Read(Schedule.storage(image));
        long xOffset = 0;
        if (planes.phased()) {
            PhaseSplit split = new PhaseSplit(x.dim(0), x.dim(1), planes, partials);
            kernels.add(phaseSplit(split, image, name));
            xRead = new KernelArg.Scratch(partials, split.elements(), false);
            xOffset = partials;
        }
        PatchWeightGradient kernel = new PatchWeightGradient(x.dim(0), x.dim(1), o, planes, plane, (long) x.dim(0) * plane, xOffset);
        List<KernelArg> args = List.of(blocks == 1 ? new KernelArg.Output() : new KernelArg.Scratch(partials, true),
                new KernelArg.Read(Schedule.GemmOperand.of(node.input(0)).matrix), xRead);
        if (blocks == 1) {
            kernels.add(new KernelSpec(name, "gemm", kernel.source(name), node, args, kernel.globalSize(), kernel.localSize(), false));
            return kernels;
        }
        kernels.add(new KernelSpec(name, "gemm-partial", kernel.source(name), List.of(), args, kernel.globalSize(), kernel.localSize(), false));
        kernels.add(new KernelSpec(SplitK.SUM_KERNEL, "split-k-sum", SplitK.sumSource(), node,
                List.of(new KernelArg.Output(), new KernelArg.Scratch(partials, false), new KernelArg.Int((int) elements),
                        new KernelArg.Int(blocks)),
                SplitK.sumGlobalSize(elements), SplitK.sumLocalSize(), true));
        return kernels;
    }

    /** The kernel writing x's phase planes into the scratch buffer, named after the product's kernel. */
    private static KernelSpec phaseSplit(PhaseSplit split, Tensor image, String name) {
        return new KernelSpec(name + "_phases", "phase-split", split.source(name + "_phases"), List.of(),
                List.of(new KernelArg.Scratch(split.offset(), split.elements(), true), new KernelArg.Read(Schedule.storage(image))),
                split.globalSize(), split.localSize(), false);
    }

    /**
     * COL2IM(Wᵀ · G) of a stride-1 convolution (its input gradient, G the output gradient as
     * [O, N·H'·W']) as the convolution of G with W transposed and flipped ({@link PlaneConvolution}
     * where the planes keep their size, else {@link PatchGemm}), written straight into the
     * [N, C, H, W] image: no patch-gradient matrix, no col2im pass. Of a strided convolution whose
     * output planes are the image's phase planes ({@link #stridedPlanes}), one plane sum of G per
     * phase of the image ({@link PlaneConvolution#inputGradient}).
     */
    static List<KernelSpec> transposedPatchProduct(Tensor col2im, Tensor product, String name) {
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
        java.util.Optional<SamePlanes> strided = stridedPlanes(col2im);
        if (strided.isPresent()) {
            // per phase of the image, the plane sum of G over the taps that read it: A(c, o, tap) = W[o, c, tap]
            PlaneConvolution kernel = PlaneConvolution.inputGradient(image.dim(0), o, c, strided.get(), new int[] {taps, c * taps, 1, 0},
                    new long[] {imagePositions, (long) image.dim(0) * imagePositions}, new long[] {(long) c * e[0] * e[1], (long) e[0] * e[1]});
            return List.of(new KernelSpec(name, "gemm", kernel.source(name), col2im, List.of(new KernelArg.Output(),
                    new KernelArg.Read(Schedule.GemmOperand.of(product.input(0)).matrix),
                    new KernelArg.Read(Schedule.GemmOperand.of(product.input(1)).matrix)), kernel.globalSize(), kernel.localSize(), false));
        }
        // the output gradient's planes are [H', W'], read at padding DH·(KH − 1) − PH, the taps reversed
        int[] geometry = {o, oh, ow, e[0], e[1], e[2], e[3], 1, 1, g.dilationH() * (e[2] - 1) - g.padH(),
            g.dilationW() * (e[3] - 1) - g.padW(), g.dilationH(), g.dilationW()};
        return patchKernel(col2im, name, c, positions, Schedule.GemmOperand.of(product.input(0)).matrix,
                new int[] {taps, c * taps, -1, taps - 1}, Schedule.GemmOperand.of(product.input(1)).matrix,
                new int[] {imagePositions, image.dim(0) * imagePositions}, geometry, true);
    }

    /**
     * The geometry of a strided one-group convolution (read from its col2im) whose output planes
     * are its image's phase planes of at least 16 positions, every phase read by some tap, whose
     * input gradient {@link PlaneConvolution#inputGradient} computes phase by phase; else empty.
     * Where taps leave phases unread (a 1×1 kernel at stride 2 reads one of four), storing their
     * zeros lane by lane measured slower than the product and col2im (3.7 ms against 1.2 for a
     * 1×1 16 → 32 layer of 256 × 28 × 28 on this project's 2-core machine).
     */
    static java.util.Optional<SamePlanes> stridedPlanes(Tensor col2im) {
        Conv2d g = Conv2d.of(col2im.attrs());
        int[] e = Conv2d.extents(col2im.attrs()); // H, W, KH, KW
        return g.groups() != 1 ? java.util.Optional.empty()
                : SamePlanes.of(e[0], e[1], e[2], e[3], g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW())
                        .filter(p -> p.phased() && PlaneConvolution.fits(p) && p.phases().length == p.strideH() * p.strideW());
    }

    /**
     * The kernel specs of a product over positions that reads its patches in place: a
     * {@link PlaneConvolution} (sizes compiled in, named {@code name}) where the geometry fits it,
     * after the {@link PhaseSplit} of X into the scratch buffer at a stride above 1; else
     * {@link PatchGemm} with its arguments in order. geometry: C, H, W, OH, OW, KH, KW, SH, SW, PH,
     * PW, DH, DW.
     */
    private static List<KernelSpec> patchKernel(Tensor node, String name, int m, int n, Tensor a, int[] aStrides, Tensor x, int[] xStrides,
                                                int[] geometry, boolean planes) {
        int[] e = geometry;
        java.util.Optional<SamePlanes> same = SamePlanes.of(e[1], e[2], e[5], e[6], e[7], e[8], e[9], e[10], e[11], e[12])
                .filter(PlaneConvolution::fits);
        if (same.isPresent()) {
            int plane = e[3] * e[4];
            long[] outStrides = planes ? new long[] {(long) m * plane, plane} : new long[] {plane, n};
            List<KernelSpec> kernels = new java.util.ArrayList<>();
            KernelArg xRead = new KernelArg.Read(x);
            long[] strides = {xStrides[0], xStrides[1]};
            if (same.get().phased()) {
                // x dense [N, C, H, W]: its phases [N, C, phases, OH, OW]
                PhaseSplit split = new PhaseSplit(n / plane, e[0], same.get(), 0);
                kernels.add(phaseSplit(split, x, name));
                xRead = new KernelArg.Scratch(split.elements(), false);
                long channel = (long) same.get().phases().length * plane;
                strides = new long[] {e[0] * channel, channel};
            }
            PlaneConvolution kernel = new PlaneConvolution(n / plane, e[0], m, same.get(), aStrides, strides, outStrides);
            kernels.add(new KernelSpec(name, "gemm", kernel.source(name), node, List.of(new KernelArg.Output(), new KernelArg.Read(a), xRead),
                    kernel.globalSize(), kernel.localSize(), false));
            return kernels;
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
        return List.of(new KernelSpec(PatchGemm.NAME, "gemm", PatchGemm.source(), node, List.copyOf(args), PatchGemm.globalSize(m, n),
                PatchGemm.localSize(), true));
    }
}
