package org.arcgrad.autodiff;

/**
 * fp64 reference evaluation of every op, straightforward loops over row-major arrays. It is the
 * truth every other backend is compared with, so it favours clarity over speed.
 */
final class Reference {
    private Reference() {
    }

    static NDArray unfed(Tensor node, NDArray[] in) {
        throw new IllegalStateException("no value fed for " + node.describe());
    }

    static NDArray constant(Tensor node, NDArray[] in) {
        return NDArray.full(node.shape(), node.attrs().scalar(0));
    }

    /** Elementwise evaluation with numpy broadcasting of up to three operands. */
    static NDArray pointwise(Tensor node, NDArray[] in, Op.Pointwise f) {
        Shape out = node.shape();
        double[] p = node.attrs().scalars();
        int n = out.size();
        double[] r = new double[n];
        int k = in.length;
        double[][] src = new double[3][];
        boolean sameShapes = true;
        for (int j = 0; j < k; j++) {
            src[j] = in[j].data();
            sameShapes &= in[j].shape().equals(out);
        }
        if (sameShapes) {
            double[] a = src[0];
            double[] b = k > 1 ? src[1] : null;
            double[] c = k > 2 ? src[2] : null;
            for (int i = 0; i < n; i++) {
                r[i] = f.apply(a[i], b == null ? 0 : b[i], c == null ? 0 : c[i], p);
            }
            return NDArray.of(out, r);
        }
        int rank = out.rank();
        int[] dims = out.dims();
        int[][] st = new int[k][];
        for (int j = 0; j < k; j++) {
            st[j] = in[j].shape().broadcastStrides(out);
        }
        int[] idx = new int[rank];
        int[] off = new int[k];
        for (int i = 0; i < n; i++) {
            double a = src[0][off[0]];
            double b = k > 1 ? src[1][off[1]] : 0;
            double c = k > 2 ? src[2][off[2]] : 0;
            r[i] = f.apply(a, b, c, p);
            for (int ax = rank - 1; ax >= 0; ax--) {
                idx[ax]++;
                for (int j = 0; j < k; j++) {
                    off[j] += st[j][ax];
                }
                if (idx[ax] < dims[ax]) {
                    break;
                }
                for (int j = 0; j < k; j++) {
                    off[j] -= st[j][ax] * dims[ax];
                }
                idx[ax] = 0;
            }
        }
        return NDArray.of(out, r);
    }

    static NDArray reshape(Tensor node, NDArray[] in) {
        return in[0].reshape(node.shape());
    }

    static NDArray expand(Tensor node, NDArray[] in) {
        return pointwise(node, in, (a, b, c, p) -> a);
    }

    static NDArray transpose(Tensor node, NDArray[] in) {
        Shape s = in[0].shape();
        int r = s.rank();
        int rows = s.dim(r - 2);
        int cols = s.dim(r - 1);
        int batch = (int) (s.numel() / ((long) rows * cols));
        double[] x = in[0].data();
        double[] y = new double[x.length];
        for (int bi = 0; bi < batch; bi++) {
            int base = bi * rows * cols;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    y[base + j * rows + i] = x[base + i * cols + j];
                }
            }
        }
        return NDArray.of(node.shape(), y);
    }

    /** Element (i0, i1, ...) of the output is element (j_perm[0] = i0, ...) of the input. */
    static NDArray permute(Tensor node, NDArray[] in) {
        Shape from = in[0].shape();
        Shape to = node.shape();
        int[] perm = node.attrs().ints();
        int rank = perm.length;
        int[] inStride = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--) {
            inStride[k] = s;
            s *= from.dim(k);
        }
        double[] x = in[0].data();
        double[] y = new double[x.length];
        int[] idx = new int[rank];
        for (int flat = 0; flat < y.length; flat++) {
            int offset = 0;
            for (int i = 0; i < rank; i++) {
                offset += idx[i] * inStride[perm[i]];
            }
            y[flat] = x[offset];
            for (int i = rank - 1; i >= 0 && ++idx[i] == to.dim(i); i--) {
                idx[i] = 0;
            }
        }
        return NDArray.of(to, y);
    }

    /** Loops over (outer, axis, inner) of a row-major array for a reduction along one axis. */
    private interface Fold {
        double apply(double acc, double x);
    }

    private static NDArray reduce(Tensor node, NDArray in, double init, Fold fold) {
        Shape s = in.shape();
        int axis = s.axis(node.attrs().integer(0));
        int len = s.dim(axis);
        int inner = s.strides()[axis];
        int outer = (int) (s.numel() / ((long) len * inner));
        double[] x = in.data();
        double[] y = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = init;
                for (int l = 0; l < len; l++) {
                    acc = fold.apply(acc, x[(o * len + l) * inner + i]);
                }
                y[o * inner + i] = acc;
            }
        }
        return NDArray.of(node.shape(), y);
    }

    static NDArray sum(Tensor node, NDArray[] in) {
        return reduce(node, in[0], 0, Double::sum);
    }

    /** Max that propagates NaN (Math.max does), so a NaN never hides behind a larger value. */
    static NDArray max(Tensor node, NDArray[] in) {
        return reduce(node, in[0], Double.NEGATIVE_INFINITY, Math::max);
    }

    static NDArray matmul(Tensor node, NDArray[] in) {
        Shape a = in[0].shape();
        int n = a.dim(0);
        int k = a.dim(1);
        int m = in[1].shape().dim(1);
        double[] x = in[0].data();
        double[] w = in[1].data();
        double[] y = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double xv = x[i * k + l];
                int wr = l * m;
                int yr = i * m;
                for (int j = 0; j < m; j++) {
                    y[yr + j] += xv * w[wr + j];
                }
            }
        }
        return NDArray.of(node.shape(), y);
    }

    static NDArray oneHot(Tensor node, NDArray[] in) {
        int classes = node.attrs().integer(0);
        double[] labels = in[0].data();
        double[] y = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            double l = labels[i];
            if (l != Math.rint(l) || l < 0 || l >= classes) {
                throw new IllegalArgumentException(node.describe() + ": label " + l + " at index " + i
                        + " is not an integer in [0, " + classes + ")");
            }
            y[i * classes + (int) l] = 1;
        }
        return NDArray.of(node.shape(), y);
    }

    static NDArray gatherRows(Tensor node, NDArray[] in) {
        int rows = in[0].shape().dim(0);
        int width = in[0].shape().dim(1);
        double[] w = in[0].data();
        double[] idx = in[1].data();
        double[] y = new double[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            double r = idx[i];
            if (r != Math.rint(r) || r < 0 || r >= rows) {
                throw new IllegalArgumentException(node.describe() + ": index " + r + " at position " + i
                        + " is not an integer in [0, " + rows + ")");
            }
            System.arraycopy(w, (int) r * width, y, i * width, width);
        }
        return NDArray.of(node.shape(), y);
    }

    static NDArray arange(Tensor node, NDArray[] in) {
        double[] y = new double[node.shape().size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = i;
        }
        return NDArray.of(node.shape(), y);
    }

    static NDArray randomUniform(Tensor node, NDArray[] in) {
        return draws(node, in, words -> Philox.uniform(words[0]));
    }

    static NDArray randomNormal(Tensor node, NDArray[] in) {
        return draws(node, in, words -> Philox.normal(words[0], words[1]));
    }

    /** Element i is {@code value} of the Philox draw of (i, the node's stream, the fed seed). */
    private static NDArray draws(Tensor node, NDArray[] in, java.util.function.ToDoubleFunction<int[]> value) {
        int seed = (int) in[0].item();
        int stream = (int) node.attrs().scalar(0);
        double[] y = new double[node.shape().size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = value.applyAsDouble(Philox.draw(i, stream, seed));
        }
        return NDArray.of(node.shape(), y);
    }

    /** Every tap of the convolution the node's attributes describe, for an input [N, C, H, W] and O output channels. */
    private static void taps(Tensor node, int n, int c, int o, Conv2d.Tap tap) {
        int[] e = Conv2d.extents(node.attrs());
        Conv2d.of(node.attrs()).forEachTap(n, c, e[0], e[1], o, e[2], e[3], tap);
    }

    /** y[n, o, y, x] = Σ x[n, c, iy, ix] · w[o, c, ky, kx] over the taps. */
    static NDArray conv2d(Tensor node, NDArray[] in) {
        Shape x = in[0].shape();
        double[] xv = in[0].data();
        double[] w = in[1].data();
        double[] y = new double[(int) node.shape().numel()];
        taps(node, x.dim(0), x.dim(1), in[1].shape().dim(0), (i, k, o) -> y[o] += xv[i] * w[k]);
        return NDArray.of(node.shape(), y);
    }

    /** dx[n, c, iy, ix] = Σ g[n, o, y, x] · w[o, c, ky, kx] over the taps. */
    static NDArray conv2dInputGrad(Tensor node, NDArray[] in) {
        Shape dx = node.shape();
        double[] g = in[0].data();
        double[] w = in[1].data();
        double[] d = new double[(int) dx.numel()];
        taps(node, dx.dim(0), dx.dim(1), in[1].shape().dim(0), (i, k, o) -> d[i] += g[o] * w[k]);
        return NDArray.of(dx, d);
    }

    /** dw[o, c, ky, kx] = Σ x[n, c, iy, ix] · g[n, o, y, x] over the taps. */
    static NDArray conv2dWeightGrad(Tensor node, NDArray[] in) {
        Shape x = in[0].shape();
        double[] xv = in[0].data();
        double[] g = in[1].data();
        double[] d = new double[(int) node.shape().numel()];
        taps(node, x.dim(0), x.dim(1), in[1].shape().dim(1), (i, k, o) -> d[k] += xv[i] * g[o]);
        return NDArray.of(node.shape(), d);
    }

    /** v at the winner of each window of x. */
    static NDArray maxPoolSelect(Tensor node, NDArray[] in) {
        Shape x = in[0].shape();
        double[] v = in[1].data();
        double[] y = new double[(int) node.shape().numel()];
        Pool2d.of(node.attrs()).forEachWindow(in[0].data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), (winner, o) -> {
            y[o] = v[winner];
            return 0;
        });
        return NDArray.of(node.shape(), y);
    }

    /** Each window's g added at its winner in x, windows in order. */
    static NDArray maxPoolScatter(Tensor node, NDArray[] in) {
        Shape x = in[0].shape();
        double[] g = in[1].data();
        double[] d = new double[(int) x.numel()];
        Pool2d.of(node.attrs()).forEachWindow(in[0].data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), (winner, o) -> {
            d[winner] += g[o];
            return 0;
        });
        return NDArray.of(x, d);
    }

    /** The patch matrix: each element a copy of an input element, or 0 in the padding. */
    static NDArray im2col(Tensor node, NDArray[] in) {
        Shape x = in[0].shape();
        int[] e = Conv2d.extents(node.attrs());
        double[] v = in[0].data();
        double[] cols = new double[(int) node.shape().numel()];
        Conv2d.of(node.attrs()).forEachPatchElement(x.dim(0), x.dim(1), e[0], e[1], e[2], e[3], (patch, input) -> cols[patch] = v[input]);
        return NDArray.of(node.shape(), cols);
    }

    /** Each input element the sum of the patch elements that copy it, in patch order. */
    static NDArray col2im(Tensor node, NDArray[] in) {
        Shape x = node.shape();
        int[] e = Conv2d.extents(node.attrs());
        double[] cols = in[0].data();
        double[] d = new double[(int) x.numel()];
        Conv2d.of(node.attrs()).forEachPatchElement(x.dim(0), x.dim(1), e[0], e[1], e[2], e[3], (patch, input) -> d[input] += cols[patch]);
        return NDArray.of(x, d);
    }
}
