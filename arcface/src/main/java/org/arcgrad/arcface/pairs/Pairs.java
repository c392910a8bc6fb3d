package org.arcgrad.arcface.pairs;

import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.relu;
import static org.arcgrad.autodiff.Functional.safeSqrt;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * What the pair losses share: the pair masks of a batch, its similarity and distance matrices,
 * and reductions along each anchor's row over the pairs a mask keeps.
 */
final class Pairs {
    /** Stands in for ±∞ where a row's masked-out entries must lose every max or min (finite in fp32). */
    static final double IGNORED = 1e30;

    private Pairs() {
    }

    /** 0/1 masks [N, N]: same label (the diagonal too), positive pairs (same label, i ≠ j), negative pairs (different labels). */
    record Masks(Tensor same, Tensor positive, Tensor negative) {
        static Masks of(Tensor labels) {
            int n = labels.shape().dim(0);
            Tensor same = labels.reshape(n, 1).eq(labels.reshape(1, n));
            return new Masks(same, same.sub(labels.tape().eye(n)), same.rsub(1));
        }

        /** 1 for the anchors [N, 1] that have a positive and a negative, else 0. */
        Tensor anchorsWithBoth() {
            return any(positive).mul(any(negative));
        }
    }

    /** Cosine similarity of every pair, [N, N]: the embeddings L2-normalised, then e·eᵀ. */
    static Tensor cosine(Tensor x) {
        Tensor e = normalize(x);
        return e.matmul(e.transpose());
    }

    /**
     * Euclidean distance of every pair of normalised embeddings from their cosine s: sqrt(2 − 2s),
     * 0 (with gradient 0) where rounding makes 2 − 2s negative or zero (a sample with itself).
     */
    static Tensor distance(Tensor cosine) {
        return safeSqrt(relu(cosine.scale(-2).add(2)));
    }

    /** 1 for the rows [N, 1] where {@code mask} keeps any pair, else 0. */
    static Tensor any(Tensor mask) {
        return mask.max(1, true);
    }

    /** Each row's largest entry among those {@code mask} keeps, [N, 1]; −{@value #IGNORED} where it keeps none. */
    static Tensor rowMax(Tensor x, Tensor mask) {
        return where(mask, x, -IGNORED).max(1, true);
    }

    /** Each row's smallest entry among those {@code mask} keeps, [N, 1]; +{@value #IGNORED} where it keeps none. */
    static Tensor rowMin(Tensor x, Tensor mask) {
        return where(mask, x, IGNORED).min(1, true);
    }

    /**
     * log Σ exp over the entries of each row that {@code mask} keeps, [N, 1], with an extra term
     * exp(0) when {@code addOne} (log(1 + Σ exp), as pytorch-metric-learning's
     * {@code lmu.logsumexp(..., add_one=True)}); 0 for a row that keeps nothing. Shifted by the
     * detached row maximum, so exp never overflows; a row that keeps nothing sums over a 1
     * instead of 0, so its log has a finite gradient, which the final where then drops.
     */
    static Tensor rowLogSumExp(Tensor x, Tensor mask, boolean addOne) {
        // entries out of the mask leave before exp: exp of one of them could overflow (its shift is
        // another row's business), and where's zero gradient times exp's infinite one is NaN
        Tensor kept = where(mask, x, -IGNORED);
        Tensor shift = kept.max(1, true);
        if (addOne) {
            shift = shift.maximum(0);
        }
        shift = shift.detach();
        Tensor sum = where(mask, kept.sub(shift).exp(), 0.0).sum(1, true);
        if (addOne) {
            sum = sum.add(shift.neg().exp());
        }
        Tensor anyKept = any(mask);
        Tensor lse = where(anyKept, sum, 1.0).log().add(shift);
        return addOne ? lse : where(anyKept, lse, 0.0);
    }

    /**
     * The mean of the losses above 0 (pytorch-metric-learning's AvgNonZeroReducer), 0 when there
     * are none: the sum over their count, the count taken as a constant.
     */
    static Tensor meanOverNonZero(Tensor losses) {
        Tensor count = losses.gt(0).sum().maximum(1);
        return losses.sum().div(count);
    }
}
