package org.arcgrad.arcface.pairs;

import org.arcgrad.autodiff.Tensor;

/**
 * A loss over the pairs of a batch: from embeddings [N, D] and integer labels [N] (samples of one
 * label are positives of each other, of different labels negatives), a scalar. Written in DSL ops,
 * so its gradient and kernels come from the op set like every other loss. Batches should hold
 * several samples per label (a P×K batch): an anchor with no positive or no negative adds nothing.
 */
public interface PairLoss {
    Tensor loss(Tensor embeddings, Tensor labels);
}
