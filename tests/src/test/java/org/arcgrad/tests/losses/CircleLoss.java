package org.arcgrad.tests.losses;

import static org.arcgrad.autodiff.Functional.logSumExp;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.relu;
import static org.arcgrad.autodiff.Functional.softplus;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * Circle loss (Sun et al., CVPR 2020) over the pairs of a batch, written as a user would in the
 * DSL: label equality of integer labels, the pairs above the diagonal by triu, the detached
 * weights α, and softplus of the two log-sum-exps (finite at γ = 256 in fp32).
 */
final class CircleLoss {
    private CircleLoss() {
    }

    static Tensor of(Tensor x, Tensor labels, double m, double gamma) {
        int n = x.shape().dim(0);
        Tensor e = normalize(x);
        Tensor s = e.matmul(e.transpose());
        Tensor same = labels.reshape(n, 1).eq(labels.reshape(1, n));
        Tensor upper = x.tape().triu(n, 1);
        Tensor positive = same.mul(upper);
        Tensor negative = labels.reshape(n, 1).ne(labels.reshape(1, n)).mul(upper);
        Tensor alphaP = relu(s.rsub(1 + m)).detach();
        Tensor alphaN = relu(s.add(m)).detach();
        Tensor logitP = alphaP.mul(s.sub(1 - m)).scale(-gamma);
        Tensor logitN = alphaN.mul(s.sub(m)).scale(gamma);
        Tensor lseP = logSumExp(where(positive, logitP, -1e30).reshape(n * n), 0, false);
        Tensor lseN = logSumExp(where(negative, logitN, -1e30).reshape(n * n), 0, false);
        return softplus(lseP.add(lseN));
    }

    /** The same loss by loops over pairs in fp64, sharing no code with the DSL version. */
    static double direct(double[][] x, int[] labels, double m, double gamma) {
        int n = x.length;
        double[][] e = new double[n][];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (double v : x[i]) {
                norm += v * v;
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            e[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                e[i][k] = x[i][k] / norm;
            }
        }
        java.util.List<Double> lp = new java.util.ArrayList<>();
        java.util.List<Double> ln = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < e[i].length; k++) {
                    s += e[i][k] * e[j][k];
                }
                if (labels[i] == labels[j]) {
                    lp.add(-gamma * Math.max(1 + m - s, 0) * (s - (1 - m)));
                } else {
                    ln.add(gamma * Math.max(s + m, 0) * (s - m));
                }
            }
        }
        double z = lse(lp) + lse(ln);
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    private static double lse(java.util.List<Double> v) {
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return max + Math.log(v.stream().mapToDouble(d -> Math.exp(d - max)).sum());
    }
}
