package org.arcgrad.arcface.pairs;

import static org.arcgrad.autodiff.Functional.relu;
import static org.arcgrad.autodiff.Functional.softplus;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.arcface.pairs.Pairs.Masks;
import org.arcgrad.autodiff.Tensor;

/**
 * Batch-hard triplet loss (Hermans, Beyer and Leibe, 2017), as pytorch-metric-learning's
 * {@code TripletMarginLoss} with a {@code BatchHardMiner}: on the Euclidean distance d of the
 * L2-normalised embeddings, each anchor with a positive and a negative forms one triplet of its
 * farthest positive and its nearest negative,
 *
 * <pre>
 * loss_a = relu(d(a, p_hard) − d(a, n_hard) + margin)        or, soft margin, softplus(d(a, p_hard) − d(a, n_hard))
 * </pre>
 *
 * and the loss is the mean over the triplets that score above 0 (0 when none does). The gradient
 * reaches the hardest pairs only (split evenly between exact ties, where torch picks one).
 *
 * <p>Default margin 0.05 (pytorch-metric-learning's); the soft margin takes none, as in the paper.
 */
public final class BatchHardTripletLoss implements PairLoss {
    public static final double DEFAULT_MARGIN = 0.05;

    private final double margin;
    private final boolean softMargin;

    public BatchHardTripletLoss() {
        this(DEFAULT_MARGIN, false);
    }

    /** @throws IllegalArgumentException when the margin is negative or not finite */
    public BatchHardTripletLoss(double margin, boolean softMargin) {
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("triplet loss: the margin must be finite and >= 0, got " + margin);
        }
        this.margin = margin;
        this.softMargin = softMargin;
    }

    @Override
    public Tensor loss(Tensor embeddings, Tensor labels) {
        Masks pairs = Masks.of(labels);
        Tensor d = Pairs.distance(Pairs.cosine(embeddings));
        Tensor gap = Pairs.rowMax(d, pairs.positive()).sub(Pairs.rowMin(d, pairs.negative()));
        Tensor perAnchor = softMargin ? softplus(gap) : relu(gap.add(margin));
        return Pairs.meanOverNonZero(where(pairs.anchorsWithBoth(), perAnchor, 0.0));
    }
}
