package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;

/** Small host-side computations the generators need to keep cases inside a domain. */
final class NDArrays {
    private NDArrays() {
    }

    static NDArray scaled(NDArray x, double k) {
        double[] d = x.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= k;
        }
        return NDArray.of(x.shape(), d);
    }

    /** L2 norm of every slice along {@code axis} (negative counts from the end). */
    static double[] normsAlong(NDArray x, int axis) {
        Shape s = x.shape();
        int a = s.axis(axis);
        int len = s.dim(a);
        int inner = s.strides()[a];
        int outer = x.size() / (len * inner);
        double[] norms = new double[outer * inner];
        double[] d = x.data();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0;
                for (int l = 0; l < len; l++) {
                    double v = d[(o * len + l) * inner + i];
                    sum += v * v;
                }
                norms[o * inner + i] = Math.sqrt(sum);
            }
        }
        return norms;
    }

    /** Flat indices of every slice along {@code axis}: result[slice][position along the axis]. */
    static int[][] slicesAlong(Shape s, int axis) {
        int a = s.axis(axis);
        int len = s.dim(a);
        int inner = s.strides()[a];
        int outer = s.size() / (len * inner);
        int[][] slices = new int[outer * inner][len];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int l = 0; l < len; l++) {
                    slices[o * inner + i][l] = (o * len + l) * inner + i;
                }
            }
        }
        return slices;
    }
}
