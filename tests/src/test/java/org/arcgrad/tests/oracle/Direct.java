package org.arcgrad.tests.oracle;

import java.util.Random;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;

/**
 * Plain fp64 loops the head oracles are written with: no arcgrad code, so an oracle shares nothing
 * with the tape it checks. Also builders of inputs whose cosine sits where a test wants it.
 */
public final class Direct {
    private Direct() {
    }

    /** F.normalize(v) on each row: v / max(‖v‖, 1e-12). */
    public static double[][] normalizeRows(double[][] v) {
        double[][] r = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            double norm = Math.max(norm(v[i]), 1e-12);
            r[i] = new double[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                r[i][j] = v[i][j] / norm;
            }
        }
        return r;
    }

    /** torch.norm(v, 2). */
    public static double norm(double[] v) {
        double sq = 0;
        for (double e : v) {
            sq += e * e;
        }
        return Math.sqrt(sq);
    }

    /** F.linear(F.normalize(x), F.normalize(w)): [N, rows of w]. */
    public static double[][] cosines(double[][] x, double[][] w) {
        double[][] xn = normalizeRows(x);
        double[][] wn = normalizeRows(w);
        double[][] c = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < w.length; j++) {
                double d = 0;
                for (int k = 0; k < xn[i].length; k++) {
                    d += xn[i][k] * wn[j][k];
                }
                c[i][j] = d;
            }
        }
        return c;
    }

    /** F.cross_entropy(logits, labels), mean reduction. */
    public static double crossEntropy(double[][] logits, int[] labels) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits[i]) {
                sum += Math.exp(v - max);
            }
            total += max + Math.log(sum) - logits[i][labels[i]];
        }
        return total / logits.length;
    }

    public static double[][] gaussian(int rows, int cols, Random random) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int k = 0; k < cols; k++) {
                row[k] = random.nextGaussian();
            }
        }
        return a;
    }

    /**
     * A vector of norm {@code norm} at cosine {@code c} to {@code axis}, in the plane of axis and
     * {@code other} (which must not be parallel to axis).
     */
    public static double[] withCosine(double[] axis, double[] other, double c, double norm) {
        double[] u = normalizeRows(new double[][] {axis})[0];
        double dot = 0;
        for (int k = 0; k < u.length; k++) {
            dot += u[k] * other[k];
        }
        double[] v = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            v[k] = other[k] - dot * u[k];
        }
        v = normalizeRows(new double[][] {v})[0];
        double sine = Math.sqrt(1 - c * c);
        double[] r = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            r[k] = norm * (c * u[k] + sine * v[k]);
        }
        return r;
    }

    /** Labels 0 and C − 1 first (the edges of the one-hot), then distinct others, for n ≤ C. */
    public static int[] distinctLabels(int n, int classes) {
        int[] labels = new int[n];
        labels[0] = 0;
        if (n > 1) {
            labels[1] = classes - 1;
        }
        for (int i = 2; i < n; i++) {
            labels[i] = i - 1;
        }
        return labels;
    }

    /**
     * Central differences of {@code loss} with respect to every entry of {@code p} (perturbed in
     * place and restored): the gradient of a direct formula, to compare a tape's with.
     */
    public static double[][] centralDifferences(double[][] p, java.util.function.DoubleSupplier loss, double step) {
        double[][] g = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            g[i] = new double[p[i].length];
            for (int j = 0; j < p[i].length; j++) {
                double saved = p[i][j];
                p[i][j] = saved + step;
                double up = loss.getAsDouble();
                p[i][j] = saved - step;
                double down = loss.getAsDouble();
                p[i][j] = saved;
                g[i][j] = (up - down) / (2 * step);
            }
        }
        return g;
    }

    public static NDArray array(double[][] a) {
        double[] d = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, d, i * a[0].length, a[0].length);
        }
        return NDArray.of(Shape.of(a.length, a[0].length), d);
    }

    public static NDArray array(int[] labels) {
        double[] d = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            d[i] = labels[i];
        }
        return NDArray.of(Shape.of(labels.length), d);
    }
}
