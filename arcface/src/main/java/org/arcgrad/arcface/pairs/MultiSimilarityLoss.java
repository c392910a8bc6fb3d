package org.arcgrad.arcface.pairs;

import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.arcface.pairs.Pairs.Masks;
import org.arcgrad.autodiff.Tensor;

/**
 * Multi-similarity loss (Wang et al., CVPR 2019) with its pair mining, as the authors' code
 * (msight-tech/research-ms-loss, {@code MultiSimilarityLoss.forward}) computes it on cosine
 * similarities s. For each anchor: its positives are the same-label samples with s &lt; 1 − 1e-5
 * (the code's test, which leaves out the anchor itself, and also exact duplicates); mining keeps
 * the negatives with s_n + ε &gt; min s_p and the positives with s_p − ε &lt; max s_n; an anchor
 * left without either adds nothing; otherwise
 *
 * <pre>
 * loss_a = 1/α · log(1 + Σ_p exp(−α (s_p − λ))) + 1/β · log(1 + Σ_n exp(β (s_n − λ)))
 * </pre>
 *
 * and the loss is Σ_a loss_a / N (over the whole batch, as the code divides). Mining compares
 * detached similarities: it chooses pairs, it is not differentiated.
 *
 * <p>Defaults, the code's: α = 2, β = 40 (SCALE_POS, SCALE_NEG), λ = 0.5, ε = 0.1. The embeddings
 * are L2-normalised here; the authors' model normalises them in its last layer.
 */
public final class MultiSimilarityLoss implements PairLoss {
    public static final double DEFAULT_ALPHA = 2;
    public static final double DEFAULT_BETA = 40;
    public static final double DEFAULT_LAMBDA = 0.5;
    public static final double DEFAULT_EPSILON = 0.1;
    /** Positives at least this similar (1 − 1e-5) are not pairs in the authors' code: the anchor itself. */
    static final double SELF = 1e-5;

    private final double alpha;
    private final double beta;
    private final double lambda;
    private final double epsilon;

    public MultiSimilarityLoss() {
        this(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_LAMBDA, DEFAULT_EPSILON);
    }

    /** @throws IllegalArgumentException naming the parameter out of range (α, β finite and &gt; 0; λ, ε finite) */
    public MultiSimilarityLoss(double alpha, double beta, double lambda, double epsilon) {
        requirePositive("alpha", alpha);
        requirePositive("beta", beta);
        if (!Double.isFinite(lambda) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("multi-similarity loss: lambda and epsilon must be finite, got " + lambda + ", " + epsilon);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.lambda = lambda;
        this.epsilon = epsilon;
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("multi-similarity loss: " + name + " must be finite and > 0, got " + v);
        }
    }

    @Override
    public Tensor loss(Tensor embeddings, Tensor labels) {
        int n = embeddings.shape().dim(0);
        Masks pairs = Masks.of(labels);
        Tensor s = Pairs.cosine(embeddings);
        Tensor chosen = s.detach();
        Tensor positive = pairs.same().mul(chosen.lt(1 - SELF));
        Tensor negative = pairs.negative();
        Tensor keptNegative = negative.mul(chosen.add(epsilon).gt(Pairs.rowMin(chosen, positive)));
        Tensor keptPositive = positive.mul(chosen.sub(epsilon).lt(Pairs.rowMax(chosen, negative)));
        Tensor posLoss = Pairs.rowLogSumExp(s.sub(lambda).scale(-alpha), keptPositive, true).scale(1 / alpha);
        Tensor negLoss = Pairs.rowLogSumExp(s.sub(lambda).scale(beta), keptNegative, true).scale(1 / beta);
        Tensor scored = Pairs.any(keptPositive).mul(Pairs.any(keptNegative));
        return where(scored, posLoss.add(negLoss), 0.0).sum().scale(1.0 / n);
    }
}
