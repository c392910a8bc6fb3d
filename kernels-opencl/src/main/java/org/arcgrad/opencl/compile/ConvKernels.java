package org.arcgrad.opencl.compile;

import java.util.List;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * Direct kernels for the three convolution ops and for {@link Op#COL2IM}: one work-item per output
 * element, looping over the taps that reach it (see {@link Conv2d}), all sizes compiled in. A
 * one-group convolution written with {@code Tensor.conv2d} runs as a product with its patch
 * matrix instead (the GEMM template), and needs only COL2IM from here; grouped convolutions
 * (depthwise among them) run these loops.
 *
 * <ul>
 *   <li>{@code conv2d}: y[b, o, y, x] = Σ over the o's group's channels and the kernel of
 *       x[b, c, y·s − p + ky·d, x·s − p + kx·d] · w[o, c, ky, kx], padding skipped;</li>
 *   <li>{@code conv2d_input_grad}: dx[b, c, iy, ix] = Σ over the group's output channels and the
 *       kernel positions whose output row (iy + p − ky·d) / s is whole and inside, of g · w;</li>
 *   <li>{@code conv2d_weight_grad}: dw[o, c, ky, kx] = Σ over samples and output positions of
 *       x · g: the longest sums (N·H'·W' terms), so Kahan-compensated, as the reductions are.</li>
 * </ul>
 */
final class ConvKernels {
    private ConvKernels() {
    }

    static KernelSpec render(Tensor node, String name) {
        Problem p = problem(node);
        String body = switch (node.op()) {
            case CONV2D -> p.forward();
            case CONV2D_INPUT_GRAD -> p.inputGradient();
            case COL2IM -> p.patchSums();
            default -> p.weightGradient();
        };
        return WindowKernels.perOutputElement(node, name, "conv", "", body);
    }

    /**
     * The CPU forms of a patch matrix ({@link Op#IM2COL}) and of its adjoint ({@link Op#COL2IM}), a
     * row of positions per work-item: the work-item finds its input or output row once and walks
     * it, so that its reads and writes are runs of consecutive floats and the per-element work is a
     * bounds test. (The per-element forms work out channel, tap and position with divisions for
     * every element: on 2 PoCL cores they wrote a 16-channel layer's [144, 200 704] patches in 19
     * ms, against 9.6 this way.) A GPU keeps the per-element forms, whose neighbouring work-items
     * touch neighbouring elements. col2im sums each element's taps in the same order either way.
     */
    static KernelSpec byRows(Tensor node, String name) {
        Problem p = problem(node);
        return node.op() == Op.COL2IM
                ? WindowKernels.perWorkItem(node, name, "conv", "", p.patchSumRows(), (long) p.n() * p.c() * p.h())
                : WindowKernels.perWorkItem(node, name, "elementwise", "", p.patchRows(), (long) p.c() * p.kh() * p.kw() * p.n() * p.oh());
    }

    private static Problem problem(Tensor node) {
        Conv2d g = Conv2d.of(node.attrs());
        int[] e = Conv2d.extents(node.attrs());
        Shape input = node.op() == Op.CONV2D_INPUT_GRAD || node.op() == Op.COL2IM ? node.shape() : node.input(0).shape();
        int outputChannels = switch (node.op()) {
            case CONV2D -> node.shape().dim(1);
            case CONV2D_INPUT_GRAD -> node.input(0).shape().dim(1);
            case CONV2D_WEIGHT_GRAD -> node.input(1).shape().dim(1);
            case COL2IM, IM2COL -> 1; // a patch matrix has no output channels
            default -> throw new IllegalArgumentException(node.describe() + " is no convolution");
        };
        return new Problem(g, input.dim(0), input.dim(1), e[0], e[1], outputChannels, e[2], e[3], g.outputHeight(e[0], e[2]),
                g.outputWidth(e[1], e[3]));
    }

    /** Sizes of one convolution: input [n, c, h, w], weights [o, c / groups, kh, kw], output [n, o, oh, ow]. */
    private record Problem(Conv2d g, int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow) {
        int cg() {
            return c / g.groups();
        }

        int og() {
            return o / g.groups();
        }

        String inputAt(String b, String channel, String iy, String ix) {
            return "a[((" + b + " * " + c + " + " + channel + ") * " + h + " + " + iy + ") * " + w + " + " + ix + "]";
        }

        String weightAt(String buffer, String oc, String ic, String ky, String kx) {
            return buffer + "[((" + oc + " * " + cg() + " + " + ic + ") * " + kh + " + " + ky + ") * " + kw + " + " + kx + "]";
        }

        String outputAt(String buffer, String b, String oc, String y, String x) {
            return buffer + "[((" + b + " * " + o + " + " + oc + ") * " + oh + " + " + y + ") * " + ow + " + " + x + "]";
        }

        /** out = y [n, o, oh, ow]; a = x; b = w. */
        String forward() {
            return "    const int ox = gid % " + ow + ", oy = (gid / " + ow + ") % " + oh + ";\n"
                    + "    const int oc = (gid / " + (ow * oh) + ") % " + o + ", bn = gid / " + ((long) ow * oh * o) + ";\n"
                    + "    const int first = (oc / " + og() + ") * " + cg() + ";\n"
                    + "    float acc = 0.0f;\n"
                    + "    for (int ic = 0; ic < " + cg() + "; ic++) {\n"
                    + "        for (int ky = 0; ky < " + kh + "; ky++) {\n"
                    + "            const int iy = oy * " + g.strideH() + " - " + g.padH() + " + ky * " + g.dilationH() + ";\n"
                    + "            if (iy < 0 || iy >= " + h + ") continue;\n"
                    + "            for (int kx = 0; kx < " + kw + "; kx++) {\n"
                    + "                const int ix = ox * " + g.strideW() + " - " + g.padW() + " + kx * " + g.dilationW() + ";\n"
                    + "                if (ix < 0 || ix >= " + w + ") continue;\n"
                    + "                acc += " + inputAt("bn", "first + ic", "iy", "ix") + " * " + weightAt("b", "oc", "ic", "ky", "kx") + ";\n"
                    + "            }\n"
                    + "        }\n"
                    + "    }\n"
                    + "    out[gid] = acc;\n";
        }

        /**
         * The head shared by the two kernels over input elements: gid → (bn, channel, iy, ix), and
         * the accumulator.
         */
        private String inputElement() {
            return "    const int ix = gid % " + w + ", iy = (gid / " + w + ") % " + h + ";\n"
                    + "    const int channel = (gid / " + (h * w) + ") % " + c + ", bn = gid / " + ((long) h * w * c) + ";\n"
                    + "    float acc = 0.0f;\n";
        }

        /**
         * Loops over the kernel positions (ky, kx) whose tap reaches input element (iy, ix) from an
         * output position inside the output, (ty / strideH, tx / strideW), around {@code body}, at
         * {@code indent}.
         */
        private String tapsReachingTheElement(String indent, String body) {
            return indent + "for (int ky = 0; ky < " + kh + "; ky++) {\n"
                    + indent + "    const int ty = iy + " + g.padH() + " - ky * " + g.dilationH() + ";\n"
                    + indent + "    if (ty < 0 || ty % " + g.strideH() + " != 0 || ty / " + g.strideH() + " >= " + oh + ") continue;\n"
                    + indent + "    for (int kx = 0; kx < " + kw + "; kx++) {\n"
                    + indent + "        const int tx = ix + " + g.padW() + " - kx * " + g.dilationW() + ";\n"
                    + indent + "        if (tx < 0 || tx % " + g.strideW() + " != 0 || tx / " + g.strideW() + " >= " + ow + ") continue;\n"
                    + indent + "        " + body + "\n"
                    + indent + "    }\n"
                    + indent + "}\n";
        }

        /** out = dx [n, c, h, w]; a = g [n, o, oh, ow]; b = w. */
        String inputGradient() {
            return inputElement()
                    + "    const int group = channel / " + cg() + ", ic = channel % " + cg() + ";\n"
                    + "    for (int oc = group * " + og() + "; oc < (group + 1) * " + og() + "; oc++) {\n"
                    + tapsReachingTheElement("        ", "acc += " + outputAt("a", "bn", "oc", "ty / " + g.strideH(), "tx / " + g.strideW())
                            + " * " + weightAt("b", "oc", "ic", "ky", "kx") + ";")
                    + "    }\n"
                    + "    out[gid] = acc;\n";
        }

        /**
         * out = x [n, c, h, w]; a = the patch matrix [c·kh·kw, n·oh·ow] (one group): each element
         * the sum of its copies, found as the input gradient finds its taps.
         */
        /** IM2COL a row per work-item (gid = (patch row · n + bn) · oh + oy): out = the patches; a = x [n, c, h, w]. */
        String patchRows() {
            return "    const int oy = gid % " + oh + ", bn = (gid / " + oh + ") % " + n + ", r = gid / " + ((long) oh * n) + ";\n"
                    + "    const int ic = r / " + kh * kw + ", ky = (r % " + kh * kw + ") / " + kw + ", kx = r % " + kw + ";\n"
                    + "    const int iy = oy * " + g.strideH() + " - " + g.padH() + " + ky * " + g.dilationH() + ";\n"
                    + "    __global float* o = out + r * " + ((long) n * oh * ow) + " + (bn * " + oh + " + oy) * " + ow + ";\n"
                    + "    if (iy < 0 || iy >= " + h + ") {\n"
                    + "        for (int ox = 0; ox < " + ow + "; ox++) o[ox] = 0.0f;\n"
                    + "        return;\n"
                    + "    }\n"
                    + "    __global const float* in = a + ((bn * " + c + " + ic) * " + h + " + iy) * " + w + ";\n"
                    + "    for (int ox = 0; ox < " + ow + "; ox++) {\n"
                    + "        const int ix = ox * " + g.strideW() + " - " + g.padW() + " + kx * " + g.dilationW() + ";\n"
                    + "        o[ox] = (ix >= 0 && ix < " + w + ") ? in[ix] : 0.0f;\n"
                    + "    }\n";
        }

        /**
         * COL2IM a row per work-item (gid = (bn · c + channel) · h + iy): out = dx [n, c, h, w]; a =
         * the patch gradients. The row is cleared, then each tap whose output row is whole and inside
         * adds its run of the patch row to every element it reaches, (ky, kx) in increasing order:
         * each element sums its taps in the same order as {@link #patchSums}, so the values are the
         * same bit for bit, but with no test per element and tap (a stride-2 layer's [256, 16, 28, 28]
         * gradient took 14 ms on 2 PoCL cores when every element tried each of the 9 taps).
         */
        String patchSumRows() {
            long positions = (long) n * oh * ow;
            return "    const int iy = gid % " + h + ", channel = (gid / " + h + ") % " + c + ", bn = gid / " + ((long) h * c) + ";\n"
                    + "    __global float* o = out + gid * " + w + ";\n"
                    + "    for (int ix = 0; ix < " + w + "; ix++) o[ix] = 0.0f;\n"
                    + "    for (int ky = 0; ky < " + kh + "; ky++) {\n"
                    + "        const int ty = iy + " + g.padH() + " - ky * " + g.dilationH() + ";\n"
                    + "        if (ty < 0 || ty % " + g.strideH() + " != 0 || ty / " + g.strideH() + " >= " + oh + ") continue;\n"
                    + "        for (int kx = 0; kx < " + kw + "; kx++) {\n"
                    + "            __global const float* row = a + ((channel * " + kh + " + ky) * " + kw + " + kx) * " + positions
                    + " + (bn * " + oh + " + ty / " + g.strideH() + ") * " + ow + ";\n"
                    + "            const int shift = kx * " + g.dilationW() + " - " + g.padW() + "; // ix = ox * stride + shift\n"
                    + "            const int first = shift >= 0 ? 0 : (-shift + " + (g.strideW() - 1) + ") / " + g.strideW() + ";\n"
                    + "            const int end = shift > " + (w - 1) + " ? 0 : min(" + ow + ", (" + (w - 1) + " - shift) / " + g.strideW()
                    + " + 1);\n"
                    + "            for (int ox = first; ox < end; ox++) o[ox * " + g.strideW() + " + shift] += row[ox];\n"
                    + "        }\n"
                    + "    }\n";
        }

        private String patchTerm() {
            return "acc += a[((channel * " + kh + " + ky) * " + kw + " + kx) * " + ((long) n * oh * ow) + " + (bn * " + oh + " + ty / "
                    + g.strideH() + ") * " + ow + " + tx / " + g.strideW() + "];";
        }

        String patchSums() {
            return inputElement() + tapsReachingTheElement("    ", patchTerm()) + "    out[gid] = acc;\n";
        }

        /** out = dw [o, c / groups, kh, kw]; a = x; b = g [n, o, oh, ow]. */
        String weightGradient() {
            return "    const int kx = gid % " + kw + ", ky = (gid / " + kw + ") % " + kh + ";\n"
                    + "    const int ic = (gid / " + (kh * kw) + ") % " + cg() + ", oc = gid / " + (kh * kw * cg()) + ";\n"
                    + "    const int channel = (oc / " + og() + ") * " + cg() + " + ic;\n"
                    + KernelRenderer.accumulators(1, true, "float", "0.0f", "-INFINITY")
                    + "    for (int bn = 0; bn < " + n + "; bn++) {\n"
                    + "        for (int oy = 0; oy < " + oh + "; oy++) {\n"
                    + "            const int iy = oy * " + g.strideH() + " - " + g.padH() + " + ky * " + g.dilationH() + ";\n"
                    + "            if (iy < 0 || iy >= " + h + ") continue;\n"
                    + "            for (int ox = 0; ox < " + ow + "; ox++) {\n"
                    + "                const int ix = ox * " + g.strideW() + " - " + g.padW() + " + kx * " + g.dilationW() + ";\n"
                    + "                if (ix < 0 || ix >= " + w + ") continue;\n"
                    + KernelRenderer.accumulate(List.of(inputAt("bn", "channel", "iy", "ix") + " * " + outputAt("b", "bn", "oc", "oy", "ox")),
                            true, "float") // the compensated step every reduction takes
                    + "            }\n"
                    + "        }\n"
                    + "    }\n"
                    + "    out[gid] = acc0;\n";
        }
    }
}
