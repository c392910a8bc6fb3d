package org.arcgrad.arcface.pairs;

import static org.arcgrad.autodiff.Functional.relu;

import org.arcgrad.arcface.pairs.Pairs.Masks;
import org.arcgrad.autodiff.Tensor;

/**
 * Contrastive loss (Hadsell, Chopra and LeCun, 2006) over every ordered pair of a batch, as
 * pytorch-metric-learning's {@code ContrastiveLoss} with its default distance and reducer: on the
 * Euclidean distance d of the L2-normalised embeddings,
 *
 * <pre>
 * positive pair: relu(d − m_pos)        negative pair: relu(m_neg − d)
 * loss = mean of the positive pairs' losses above 0 + mean of the negative pairs' losses above 0
 * </pre>
 *
 * (each mean 0 when no pair of its kind scores above 0). Defaults m_pos = 0, m_neg = 1.
 */
public final class ContrastiveLoss implements PairLoss {
    public static final double DEFAULT_POS_MARGIN = 0;
    public static final double DEFAULT_NEG_MARGIN = 1;

    private final double posMargin;
    private final double negMargin;

    public ContrastiveLoss() {
        this(DEFAULT_POS_MARGIN, DEFAULT_NEG_MARGIN);
    }

    /** @throws IllegalArgumentException unless 0 ≤ m_pos &lt; m_neg ≤ 2 (normalised embeddings lie at most 2 apart) */
    public ContrastiveLoss(double posMargin, double negMargin) {
        if (!(posMargin >= 0 && posMargin < negMargin && negMargin <= 2)) {
            throw new IllegalArgumentException("contrastive loss: need 0 <= pos margin < neg margin <= 2, got " + posMargin + " and "
                    + negMargin);
        }
        this.posMargin = posMargin;
        this.negMargin = negMargin;
    }

    @Override
    public Tensor loss(Tensor embeddings, Tensor labels) {
        Masks pairs = Masks.of(labels);
        Tensor d = Pairs.distance(Pairs.cosine(embeddings));
        Tensor positive = relu(d.sub(posMargin)).mul(pairs.positive());
        Tensor negative = relu(d.rsub(negMargin)).mul(pairs.negative());
        return Pairs.meanOverNonZero(positive).add(Pairs.meanOverNonZero(negative));
    }
}
