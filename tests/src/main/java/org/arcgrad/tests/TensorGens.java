package org.arcgrad.tests;

import java.util.Random;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;

/**
 * Generators of loss inputs with their edge cases: float tensors with 0, ±1 and ties mixed in,
 * labels with 0 and C − 1 favoured, and feature rows placed at exact cosines from their class's
 * weight row (±1, 0, next to ±1, a margin head's threshold), where margin losses have their kinks.
 */
public final class TensorGens {
    /** The cosines {@link #atCosines} uses unless told otherwise. */
    static final double[] EDGE_COSINES = {1, -1, 0, 1 - 1e-7, -1 + 1e-7};

    private TensorGens() {
    }

    /** Floats in [−2, 2] with 0, ±1 and 0.5 mixed in (ties among them). */
    public static Gen<NDArray> values(Shape shape) {
        return Gens.arrays(shape, Gens.doubles(-2, 2, 0.15, 0, 1, -1, 0.5));
    }

    /** Labels [n] in [0, classes), 0 and classes − 1 favoured. */
    public static Gen<NDArray> labels(int n, int classes) {
        if (n < 1 || classes < 1) {
            throw new IllegalArgumentException("labels need n ≥ 1 and classes ≥ 1, got " + n + " and " + classes);
        }
        return Gens.labels(Shape.of(n), classes, 0.5);
    }

    /** {@code base}'s arrays with about a third of the elements 0 and a third tied with their predecessor. */
    public static Gen<NDArray> edgeValues(Gen<NDArray> base) {
        return Gen.zip(base, Gens.seeds(), (a, seed) -> {
            Random r = new Random(seed);
            NDArray out = a.copy();
            double[] d = out.data();
            for (int i = 0; i < d.length; i++) {
                int pick = r.nextInt(3);
                if (pick == 0) {
                    d[i] = 0;
                } else if (pick == 1 && i > 0) {
                    d[i] = d[i - 1];
                }
            }
            return out;
        });
    }

    /**
     * {@code x} [N, D] with each row, with probability {@code fraction}, turned (its norm kept) to
     * one of {@code cosines} from the row of {@code w} [C, D] that its label picks: x_i becomes
     * |x_i| · (c·ŵ + sqrt(1 − c²)·u) with u a unit vector orthogonal to ŵ.
     */
    public static NDArray atCosines(NDArray x, NDArray w, NDArray labels, double[] cosines, double fraction, Random random) {
        Shape xs = x.shape();
        Shape ws = w.shape();
        if (xs.rank() != 2 || ws.rank() != 2 || xs.dim(1) != ws.dim(1) || labels.shape().rank() != 1 || labels.size() != xs.dim(0)) {
            throw new IllegalArgumentException("cosine edges need features [N, D], weights [C, D] and labels [N]; got "
                    + xs + ", " + ws + " and " + labels.shape());
        }
        int d = xs.dim(1);
        NDArray out = x.copy();
        double[] o = out.data();
        for (int i = 0; i < xs.dim(0); i++) {
            if (random.nextDouble() >= fraction) {
                continue;
            }
            int label = (int) labels.data()[i];
            double[] wHat = unit(w.data(), label * d, d);
            if (wHat == null) {
                continue; // a zero weight row has no direction to measure a cosine from
            }
            double[] row = new double[d];
            System.arraycopy(o, i * d, row, 0, d);
            double radius = Math.sqrt(dot(row, row));
            double[] u = orthogonal(row, wHat);
            double c = cosines[random.nextInt(cosines.length)];
            double s = Math.sqrt(Math.max(0, 1 - c * c));
            for (int k = 0; k < d; k++) {
                o[i * d + k] = (radius > 0 ? radius : 1) * (c * wHat[k] + s * u[k]);
            }
        }
        return out;
    }

    private static double[] unit(double[] a, int from, int n) {
        double[] v = new double[n];
        System.arraycopy(a, from, v, 0, n);
        double norm = Math.sqrt(dot(v, v));
        if (norm == 0) {
            return null;
        }
        for (int k = 0; k < n; k++) {
            v[k] /= norm;
        }
        return v;
    }

    /** The unit part of {@code v} orthogonal to the unit vector {@code e}; a basis vector's when v has none (or D = 1: zeros). */
    private static double[] orthogonal(double[] v, double[] e) {
        int n = e.length;
        for (int attempt = -1; attempt < n; attempt++) {
            double[] candidate = new double[n];
            if (attempt < 0) {
                System.arraycopy(v, 0, candidate, 0, n);
            } else {
                candidate[attempt] = 1;
            }
            double along = dot(candidate, e);
            for (int k = 0; k < n; k++) {
                candidate[k] -= along * e[k];
            }
            double norm = Math.sqrt(dot(candidate, candidate));
            if (norm > 1e-6) {
                for (int k = 0; k < n; k++) {
                    candidate[k] /= norm;
                }
                return candidate;
            }
        }
        return new double[n];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
