package org.arcgrad.arcface.pairs;

import static org.arcgrad.autodiff.Functional.relu;
import static org.arcgrad.autodiff.Functional.softplus;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.arcface.pairs.Pairs.Masks;
import org.arcgrad.autodiff.Tensor;

/**
 * Circle loss (Sun et al., CVPR 2020) over the pairs of a batch, as pytorch-metric-learning's
 * {@code CircleLoss} computes it: on cosine similarities s, for each anchor
 *
 * <pre>
 * α_p = relu(1 + m − s_p), α_n = relu(s_n + m)                 (detached: weights, not paths)
 * loss_a = softplus( logΣ_p exp(−γ α_p (s_p − (1 − m))) + logΣ_n exp(γ α_n (s_n − m)) )
 * </pre>
 *
 * over the anchor's positives p and negatives n; an anchor without either scores 0; the loss is
 * the mean over the anchors that score above 0. softplus and the log-sum-exps are the overflow-free
 * forms, finite at the face-recognition setting γ = 256.
 *
 * <p>Defaults m = 0.4, γ = 80 (the library's; the paper suggests m = 0.25, γ = 256 for faces).
 */
public final class CircleLoss implements PairLoss {
    public static final double DEFAULT_M = 0.4;
    public static final double DEFAULT_GAMMA = 80;

    private final double m;
    private final double gamma;

    public CircleLoss() {
        this(DEFAULT_M, DEFAULT_GAMMA);
    }

    /** @throws IllegalArgumentException naming m or γ when out of range (0 ≤ m &lt; 1, γ finite and &gt; 0) */
    public CircleLoss(double m, double gamma) {
        if (!(m >= 0 && m < 1)) {
            throw new IllegalArgumentException("Circle loss: m must be in [0, 1), got " + m);
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("Circle loss: gamma must be finite and > 0, got " + gamma);
        }
        this.m = m;
        this.gamma = gamma;
    }

    @Override
    public Tensor loss(Tensor embeddings, Tensor labels) {
        Masks pairs = Masks.of(labels);
        Tensor s = Pairs.cosine(embeddings);
        Tensor alphaP = relu(s.detach().rsub(1 + m));
        Tensor alphaN = relu(s.detach().add(m));
        Tensor logitP = alphaP.mul(s.sub(1 - m)).scale(-gamma);
        Tensor logitN = alphaN.mul(s.sub(m)).scale(gamma);
        Tensor z = Pairs.rowLogSumExp(logitP, pairs.positive(), false).add(Pairs.rowLogSumExp(logitN, pairs.negative(), false));
        return Pairs.meanOverNonZero(where(pairs.anchorsWithBoth(), softplus(z), 0.0));
    }
}
