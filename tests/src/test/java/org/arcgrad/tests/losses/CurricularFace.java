package org.arcgrad.tests.losses;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.crossEntropy;
import static org.arcgrad.autodiff.Functional.gather;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.oneHot;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * CurricularFace (Huang et al., CVPR 2020) as in the authors' code, written in the DSL: the
 * target takes cos(θ + m) with the th/mm fallback; negatives harder than the target's margin
 * value are scaled by (t + cos); t = 0.01 · mean(target cos) + 0.99 · t_old, without gradient.
 * Returns {loss, new t}.
 */
final class CurricularFace {
    static final double S = 64;
    static final double M = 0.5;

    private CurricularFace() {
    }

    static Tensor[] of(Tensor x, Tensor w, Tensor labels, Tensor tOld) {
        int classes = w.shape().dim(0);
        Tensor cos = linear(normalize(x), normalize(w)).clamp(-1, 1);
        Tensor target = gather(cos, labels).reshape(x.shape().dim(0), 1);
        Tensor targetMargin = cosAdd(target, M);
        Tensor finalTarget = where(target.gt(Math.cos(Math.PI - M)), targetMargin, target.sub(Math.sin(Math.PI - M) * M));
        Tensor t = target.mean().detach().scale(0.01).add(tOld.scale(0.99));
        Tensor hard = cos.gt(targetMargin);
        Tensor negatives = where(hard, cos.mul(t.add(cos)), cos);
        Tensor logits = where(oneHot(labels, classes), finalTarget, negatives).scale(S);
        return new Tensor[] {crossEntropy(logits, labels), t};
    }

    /** The loss by loops in fp64, sharing no code with the DSL version. */
    static double direct(double[][] x, double[][] w, int[] labels, double tOld) {
        int n = x.length;
        int c = w.length;
        double[][] cos = new double[n][c];
        double targetSum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                cos[i][j] = Math.max(-1, Math.min(1, dot(x[i], w[j]) / (norm(x[i]) * norm(w[j]))));
            }
            targetSum += cos[i][labels[i]];
        }
        double t = targetSum / n * 0.01 + 0.99 * tOld;
        double th = Math.cos(Math.PI - M);
        double mm = Math.sin(Math.PI - M) * M;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double target = cos[i][labels[i]];
            double sine = Math.sqrt(Math.max(1e-12, Math.min(1, 1 - target * target)));
            double ctm = target * Math.cos(M) - sine * Math.sin(M);
            double[] logits = new double[c];
            for (int j = 0; j < c; j++) {
                double v = cos[i][j];
                logits[j] = S * (j == labels[i] ? (target > th ? ctm : target - mm) : (v > ctm ? v * (t + v) : v));
            }
            double max = java.util.Arrays.stream(logits).max().orElseThrow();
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            loss += max + Math.log(sum) - logits[labels[i]];
        }
        return loss / n;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.max(Math.sqrt(dot(a, a)), 1e-12);
    }
}
