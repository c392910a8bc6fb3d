package org.arcgrad.autodiff;

import java.util.Arrays;

/** Shape rules of the ops that are not plain broadcasting; each throws with the reason when shapes do not fit. */
final class ShapeRules {
    private ShapeRules() {
    }

    static Shape fromAttrs(Shape[] in, Attrs a) {
        return a.shape();
    }

    static Shape broadcast(Shape[] in, Attrs a) {
        Shape out = in[0];
        for (int i = 1; i < in.length; i++) {
            Shape next = Shape.broadcast(out, in[i]);
            if (next == null) {
                throw new IllegalArgumentException("shapes do not broadcast");
            }
            out = next;
        }
        return out;
    }

    static Shape reshape(Shape[] in, Attrs a) {
        Shape to = a.shape();
        if (to.numel() != in[0].numel()) {
            throw new IllegalArgumentException("cannot reshape " + in[0].numel() + " elements to " + to);
        }
        return to;
    }

    static Shape expand(Shape[] in, Attrs a) {
        Shape to = a.shape();
        if (!in[0].broadcastsTo(to)) {
            throw new IllegalArgumentException("cannot broadcast to " + to);
        }
        return to;
    }

    static Shape transpose(Shape[] in, Attrs a) {
        Shape s = in[0];
        if (s.rank() < 2) {
            throw new IllegalArgumentException("transpose needs rank 2 or more");
        }
        int[] d = s.dims();
        int r = d.length;
        int t = d[r - 1];
        d[r - 1] = d[r - 2];
        d[r - 2] = t;
        return Shape.of(d);
    }

    static Shape permute(Shape[] in, Attrs a) {
        int[] perm = a.ints();
        if (!Permutation.isPermutation(perm, in[0].rank())) {
            throw new IllegalArgumentException(java.util.Arrays.toString(perm) + " is no order of the " + in[0].rank() + " axes");
        }
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = in[0].dim(perm[i]);
        }
        return Shape.of(d);
    }

    static Shape reduce(Shape[] in, Attrs a) {
        return in[0].with(in[0].axis(a.integer(0)), 1);
    }

    static Shape matmul(Shape[] in, Attrs a) {
        Shape x = in[0];
        Shape y = in[1];
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("both operands must be matrices (rank 2)");
        }
        if (x.dim(1) != y.dim(0)) {
            throw new IllegalArgumentException("inner dimensions differ (" + x.dim(1) + " vs " + y.dim(0) + ")");
        }
        return Shape.of(x.dim(0), y.dim(1));
    }

    static Shape oneHot(Shape[] in, Attrs a) {
        int classes = a.integer(0);
        if (classes < 1) {
            throw new IllegalArgumentException("class count must be at least 1, got " + classes);
        }
        int[] d = Arrays.copyOf(in[0].dims(), in[0].rank() + 1);
        d[d.length - 1] = classes;
        return Shape.of(d);
    }

    static Shape gatherRows(Shape[] in, Attrs a) {
        if (in[0].rank() != 2) {
            throw new IllegalArgumentException("the rows are taken from a matrix [C, D], got rank " + in[0].rank());
        }
        if (in[1].rank() != 1) {
            throw new IllegalArgumentException("the indices must be a vector [N], got rank " + in[1].rank());
        }
        return Shape.of(in[1].dim(0), in[0].dim(1));
    }

    /** x [N, C, H, W] ⊛ w [O, C / groups, KH, KW] → [N, O, H', W'] (see {@link Conv2d}). */
    static Shape conv2d(Shape[] in, Attrs a) {
        Shape x = in[0];
        Shape w = in[1];
        requireRank4("the input", x, "[N, C, H, W]");
        requireRank4("the weights", w, "[O, C / groups, KH, KW]");
        Conv2d g = Conv2d.of(a);
        int[] e = Conv2d.extents(a);
        requireExtents(x.dim(2), x.dim(3), w.dim(2), w.dim(3), e);
        requireChannels(g, x.dim(1), w.dim(0), w.dim(1));
        int[] out = outputExtent(g, e);
        return Shape.of(x.dim(0), w.dim(0), out[0], out[1]);
    }

    /** The gradient of a convolution's input: g [N, O, H', W'] and w [O, C / groups, KH, KW] → [N, C, H, W]. */
    static Shape conv2dInputGrad(Shape[] in, Attrs a) {
        Shape g = in[0];
        Shape w = in[1];
        requireRank4("the output gradient", g, "[N, O, H', W']");
        requireRank4("the weights", w, "[O, C / groups, KH, KW]");
        Conv2d c = Conv2d.of(a);
        int[] e = Conv2d.extents(a);
        requireExtents(e[0], e[1], w.dim(2), w.dim(3), e);
        requireChannels(c, w.dim(1) * c.groups(), w.dim(0), w.dim(1));
        requireOutput(c, e, g, w.dim(0));
        return Shape.of(g.dim(0), w.dim(1) * c.groups(), e[0], e[1]);
    }

    /** The gradient of a convolution's weights: x [N, C, H, W] and g [N, O, H', W'] → [O, C / groups, KH, KW]. */
    static Shape conv2dWeightGrad(Shape[] in, Attrs a) {
        Shape x = in[0];
        Shape g = in[1];
        requireRank4("the input", x, "[N, C, H, W]");
        requireRank4("the output gradient", g, "[N, O, H', W']");
        Conv2d c = Conv2d.of(a);
        int[] e = Conv2d.extents(a);
        requireExtents(x.dim(2), x.dim(3), e[2], e[3], e);
        if (x.dim(0) != g.dim(0)) {
            throw new IllegalArgumentException("the input has " + x.dim(0) + " samples, the output gradient " + g.dim(0));
        }
        if (x.dim(1) % c.groups() != 0) {
            throw new IllegalArgumentException(x.dim(1) + " input channels do not split into " + c.groups() + " groups");
        }
        requireChannels(c, x.dim(1), g.dim(1), x.dim(1) / c.groups());
        requireOutput(c, e, g, g.dim(1));
        return Shape.of(g.dim(1), x.dim(1) / c.groups(), e[2], e[3]);
    }

    /** x [N, C, H, W] and v of x's shape → [N, C, H', W']: v at each window's winner in x (see {@link Pool2d}). */
    static Shape maxPoolSelect(Shape[] in, Attrs a) {
        requireRank4("the input", in[0], "[N, C, H, W]");
        if (!in[1].equals(in[0])) {
            throw new IllegalArgumentException("the values read at the winners must have the input's shape " + in[0] + ", got " + in[1]);
        }
        return pooled(Pool2d.of(a), in[0]);
    }

    /** x [N, C, H, W] and g [N, C, H', W'] → x's shape: each window's g added at its winner. */
    static Shape maxPoolScatter(Shape[] in, Attrs a) {
        requireRank4("the input", in[0], "[N, C, H, W]");
        Shape out = pooled(Pool2d.of(a), in[0]);
        if (!in[1].equals(out)) {
            throw new IllegalArgumentException("the pooled gradient must be " + out + ", got " + in[1]);
        }
        return in[0];
    }

    private static Shape pooled(Pool2d p, Shape x) {
        int oh = p.outputHeight(x.dim(2));
        int ow = p.outputWidth(x.dim(3));
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("a window of " + p + " leaves no output of a " + x.dim(2) + "×" + x.dim(3) + " input");
        }
        return Shape.of(x.dim(0), x.dim(1), oh, ow);
    }

    /** x [N, C, H, W] → the patch matrix [C·KH·KW, N·H'·W'] of a one-group convolution (see {@link Op#IM2COL}). */
    static Shape im2col(Shape[] in, Attrs a) {
        Shape x = in[0];
        requireRank4("the input", x, "[N, C, H, W]");
        Conv2d g = Conv2d.of(a);
        int[] e = Conv2d.extents(a);
        requireExtents(x.dim(2), x.dim(3), e[2], e[3], e);
        requireOneGroup(g);
        int[] out = outputExtent(g, e);
        return Shape.of(x.dim(1) * e[2] * e[3], x.dim(0) * out[0] * out[1]);
    }

    /** The patch matrix [C·KH·KW, N·H'·W'] → [N, C, H, W], each element the sum of its copies (see {@link Op#COL2IM}). */
    static Shape col2im(Shape[] in, Attrs a) {
        Shape cols = in[0];
        if (cols.rank() != 2) {
            throw new IllegalArgumentException("the patch matrix must be [C·KH·KW, N·H'·W'] (rank 2), got " + cols);
        }
        Conv2d g = Conv2d.of(a);
        int[] e = Conv2d.extents(a);
        requireOneGroup(g);
        int[] out = outputExtent(g, e);
        int positions = out[0] * out[1];
        int taps = e[2] * e[3];
        if (cols.dim(0) % taps != 0 || cols.dim(1) % positions != 0) {
            throw new IllegalArgumentException("the patch matrix must have a multiple of " + taps + " rows and of " + positions
                    + " columns, got " + cols);
        }
        return Shape.of(cols.dim(1) / positions, cols.dim(0) / taps, e[0], e[1]);
    }

    private static void requireOneGroup(Conv2d g) {
        if (g.groups() != 1) {
            throw new IllegalArgumentException("patch matrices are for one-group convolutions, got " + g.groups() + " groups");
        }
    }

    private static void requireRank4(String what, Shape s, String layout) {
        if (s.rank() != 4) {
            throw new IllegalArgumentException(what + " must be " + layout + " (rank 4), got " + s);
        }
    }

    private static void requireExtents(int h, int w, int kh, int kw, int[] e) {
        if (h != e[0] || w != e[1] || kh != e[2] || kw != e[3]) {
            throw new IllegalArgumentException("the op was recorded for an input of " + e[0] + "×" + e[1] + " and a kernel of "
                    + e[2] + "×" + e[3] + ", its operands give " + h + "×" + w + " and " + kh + "×" + kw);
        }
        if (kh < 1 || kw < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("input and kernel extents must be at least 1, got " + h + "×" + w + " and " + kh + "×" + kw);
        }
    }

    private static void requireChannels(Conv2d g, int inputChannels, int outputChannels, int weightInputChannels) {
        if (inputChannels % g.groups() != 0 || inputChannels / g.groups() != weightInputChannels) {
            throw new IllegalArgumentException(inputChannels + " input channels in " + g.groups() + " groups need weights of "
                    + (inputChannels % g.groups() == 0 ? inputChannels / g.groups() + " input channels" : "a whole number of input channels")
                    + ", the weights have " + weightInputChannels);
        }
        if (outputChannels % g.groups() != 0) {
            throw new IllegalArgumentException(outputChannels + " output channels do not split into " + g.groups() + " groups");
        }
    }

    private static int[] outputExtent(Conv2d g, int[] e) {
        int oh = g.outputHeight(e[0], e[2]);
        int ow = g.outputWidth(e[1], e[3]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("a " + e[2] + "×" + e[3] + " kernel with " + g + " leaves no output of a " + e[0]
                    + "×" + e[1] + " input (" + oh + "×" + ow + ")");
        }
        return new int[] {oh, ow};
    }

    private static void requireOutput(Conv2d c, int[] e, Shape g, int outputChannels) {
        int[] out = outputExtent(c, e);
        if (g.dim(1) != outputChannels || g.dim(2) != out[0] || g.dim(3) != out[1]) {
            throw new IllegalArgumentException("the output gradient must be [N, " + outputChannels + ", " + out[0] + ", " + out[1]
                    + "], got " + g);
        }
    }
}
