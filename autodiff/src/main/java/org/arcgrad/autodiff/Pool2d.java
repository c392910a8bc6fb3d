package org.arcgrad.autodiff;

/**
 * The window of a 2-D max pooling as {@code torch.nn.functional.max_pool2d} has it (dilation 1,
 * ceil_mode off): input [N, C, H, W], output [N, C, H', W'] with
 * H' = ⌊(H + 2·padH − KH) / strideH⌋ + 1, padding at most half the kernel (so no window lies in the
 * padding alone). The padding holds −∞: it never wins.
 *
 * <p>Which element of a window wins is torch's CPU rule: scanning the window's rows, then columns,
 * a value wins when it is larger than the best so far or is NaN (so the last NaN of a window wins,
 * and the result is NaN); before the scan the first element inside the input is the winner, so a
 * window of −∞ selects its first element. {@link Op#MAX_POOL2D_SELECT} picks, in each window of
 * its first operand, the winner's position, and reads its second operand there;
 * {@link Op#MAX_POOL2D_SCATTER} adds each window's value back at its winner (its adjoint).
 */
public record Pool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    public Pool2d {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("pooling: the kernel must be at least 1×1, got " + kernelH + "×" + kernelW);
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pooling: stride must be at least 1, got " + strideH + "×" + strideW);
        }
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pooling: padding must be between 0 and half the kernel (" + kernelH + "×"
                    + kernelW + "), got " + padH + "×" + padW);
        }
    }

    /** A square kernel with the same stride and padding along both axes. */
    public static Pool2d of(int kernel, int stride, int padding) {
        return new Pool2d(kernel, kernel, stride, stride, padding, padding);
    }

    public Attrs attrs() {
        return Attrs.ints(kernelH, kernelW, strideH, strideW, padH, padW);
    }

    public static Pool2d of(Attrs a) {
        return new Pool2d(a.integer(0), a.integer(1), a.integer(2), a.integer(3), a.integer(4), a.integer(5));
    }

    public int outputHeight(int h) {
        return Math.floorDiv(h + 2 * padH - kernelH, strideH) + 1;
    }

    public int outputWidth(int w) {
        return Math.floorDiv(w + 2 * padW - kernelW, strideW) + 1;
    }

    @Override
    public String toString() {
        return "kernel " + kernelH + "×" + kernelW + ", stride " + strideH + "×" + strideW + ", padding " + padH + "×" + padW;
    }

    /**
     * The flat offset, in an input of [.., h, w] whose channel plane starts at {@code plane}, of the
     * winner of window (oy, ox) of {@code x}.
     */
    int winner(double[] x, int plane, int h, int w, int oy, int ox) {
        int y0 = oy * strideH - padH;
        int x0 = ox * strideW - padW;
        int best = plane + Math.max(y0, 0) * w + Math.max(x0, 0);
        double max = Double.NEGATIVE_INFINITY;
        for (int iy = Math.max(y0, 0); iy < Math.min(y0 + kernelH, h); iy++) {
            for (int ix = Math.max(x0, 0); ix < Math.min(x0 + kernelW, w); ix++) {
                int at = plane + iy * w + ix;
                if (x[at] > max || Double.isNaN(x[at])) {
                    max = x[at];
                    best = at;
                }
            }
        }
        return best;
    }

    /** Calls {@code visit(winner, output)} for every window of x [n, c, h, w], flat offsets. */
    void forEachWindow(double[] x, int n, int c, int h, int w, java.util.function.IntBinaryOperator visit) {
        int oh = outputHeight(h);
        int ow = outputWidth(w);
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    visit.applyAsInt(winner(x, p * h * w, h, w, oy, ox), (p * oh + oy) * ow + ox);
                }
            }
        }
    }
}
