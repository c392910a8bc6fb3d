package org.arcgrad.autodiff;

/**
 * The geometry of a 2-D convolution as {@code torch.nn.functional.conv2d} has it: input NCHW,
 * weights OIHW with I = C / groups, output [N, O, H', W'] with
 * H' = ⌊(H + 2·padH − dilationH·(KH − 1) − 1) / strideH⌋ + 1 (likewise W'); output channel o
 * reads the input channels of its group, o / (O / groups). Cross-correlation, as torch computes it
 * (the kernel is not flipped).
 *
 * <p>The three convolution ops ({@link Op#CONV2D}, {@link Op#CONV2D_INPUT_GRAD},
 * {@link Op#CONV2D_WEIGHT_GRAD}) carry the whole problem in their integer attributes: this
 * geometry, then the input's H and W and the kernel's KH and KW, because the backward ops cannot
 * recover them from their operands (H' rounds down). Every tap (output position, kernel position)
 * pairs one input element with one weight and one output element; {@link #forEachTap} lists them,
 * and the three references are the three ways to contract a tap.
 */
public record Conv2d(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    public Conv2d {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("conv2d: stride must be at least 1, got " + strideH + "×" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding must be at least 0, got " + padH + "×" + padW);
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("conv2d: dilation must be at least 1, got " + dilationH + "×" + dilationW);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("conv2d: groups must be at least 1, got " + groups);
        }
    }

    /** The same stride, padding and dilation along both axes. */
    public static Conv2d of(int stride, int padding, int dilation, int groups) {
        return new Conv2d(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Stride 1, no padding, no dilation, one group. */
    public static Conv2d plain() {
        return of(1, 0, 1, 1);
    }

    /** The attributes of a convolution op over an H×W input with a KH×KW kernel. */
    public Attrs attrs(int h, int w, int kh, int kw) {
        return Attrs.ints(strideH, strideW, padH, padW, dilationH, dilationW, groups, h, w, kh, kw);
    }

    /** The geometry a convolution op's attributes hold. */
    public static Conv2d of(Attrs a) {
        return new Conv2d(a.integer(0), a.integer(1), a.integer(2), a.integer(3), a.integer(4), a.integer(5), a.integer(6));
    }

    /** The input height, input width, kernel height and kernel width a convolution op's attributes hold. */
    public static int[] extents(Attrs a) {
        return new int[] {a.integer(7), a.integer(8), a.integer(9), a.integer(10)};
    }

    /** H' for an input of height h and a kernel of height kh (may be below 1: no output). */
    public int outputHeight(int h, int kh) {
        return Math.floorDiv(h + 2 * padH - dilationH * (kh - 1) - 1, strideH) + 1;
    }

    public int outputWidth(int w, int kw) {
        return Math.floorDiv(w + 2 * padW - dilationW * (kw - 1) - 1, strideW) + 1;
    }

    /** Text for dumps and messages, e.g. "stride 2×2, padding 1×1, dilation 1×1, groups 1". */
    @Override
    public String toString() {
        return "stride " + strideH + "×" + strideW + ", padding " + padH + "×" + padW + ", dilation " + dilationH + "×"
                + dilationW + ", groups " + groups;
    }

    /** One pairing of an input element, a weight and an output element (flat row-major offsets). */
    @FunctionalInterface
    interface Tap {
        void at(int input, int weight, int output);
    }

    /**
     * Calls {@code tap} for every pairing of the convolution of an input [n, c, h, w] with
     * weights [o, c / groups, kh, kw] whose input position lies inside the input (the padding
     * contributes nothing), in a fixed order.
     */
    void forEachTap(int n, int c, int h, int w, int o, int kh, int kw, Tap tap) {
        int oh = outputHeight(h, kh);
        int ow = outputWidth(w, kw);
        int cg = c / groups;
        int og = o / groups;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int ic = 0; ic < cg; ic++) {
                    int channel = g * cg + ic;
                    for (int y = 0; y < oh; y++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y * strideH - padH + ky * dilationH;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int x = 0; x < ow; x++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = x * strideW - padW + kx * dilationW;
                                    if (ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    tap.at(((b * c + channel) * h + iy) * w + ix, ((oc * cg + ic) * kh + ky) * kw + kx,
                                            ((b * o + oc) * oh + y) * ow + x);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** One element of a patch matrix: its flat offset there, and the input element it copies. */
    @FunctionalInterface
    interface PatchElement {
        void at(int patch, int input);
    }

    /**
     * Calls {@code element} for every element of the patch matrix [c·kh·kw, n·H'·W'] of an input
     * [n, c, h, w] (one group) that copies an input element (the others, in the padding, are 0):
     * row (ch, ky, kx) is the tap, column (b, y, x) output position (y, x) of sample b. Positions
     * run along rows so that neighbouring elements read neighbouring input columns.
     */
    void forEachPatchElement(int n, int c, int h, int w, int kh, int kw, PatchElement element) {
        int oh = outputHeight(h, kh);
        int ow = outputWidth(w, kw);
        int positions = n * oh * ow;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int column = (b * oh + y) * ow + x;
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y * strideH - padH + ky * dilationH;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = x * strideW - padW + kx * dilationW;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    element.at(((ch * kh + ky) * kw + kx) * positions + column, ((b * c + ch) * h + iy) * w + ix);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
