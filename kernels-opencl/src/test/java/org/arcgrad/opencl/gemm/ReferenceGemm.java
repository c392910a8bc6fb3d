package org.arcgrad.opencl.gemm;

import java.util.Random;

/** Plain fp64 C = op(A)·op(B) on stored row-major operands, and the scale its rounding error is measured against. */
final class ReferenceGemm {
    final double[] c;
    /** Σ_k |op(A)[i,k]·op(B)[k,j]| per element: fp32 summation error is bounded relative to this, not to |c|. */
    final double[] magnitude;

    ReferenceGemm(GemmVariant v, int m, int n, int k, float[] a, float[] b) {
        c = new double[m * n];
        magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = v.transposeA() ? a[p * m + i] : a[i * k + p];
                    double y = v.transposeB() ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    mag += Math.abs(x * y);
                }
                c[i * n + j] = s;
                magnitude[i * n + j] = mag;
            }
        }
    }

    static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
