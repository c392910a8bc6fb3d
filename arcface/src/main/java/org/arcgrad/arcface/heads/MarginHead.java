package org.arcgrad.arcface.heads;

import org.arcgrad.autodiff.Tensor;

/**
 * A margin head: from embeddings x [N, D], class weights W [C, D] (out_features × in_features, the
 * seed's layout) and integer labels [N], the logits [N, C] that a softmax cross-entropy follows.
 * Heads are written in DSL ops, so their gradients and kernels come from the op set.
 */
public interface MarginHead {
    Tensor logits(Tensor x, Tensor w, Tensor labels);

    /**
     * The training loss from this head's {@code logits} for embeddings {@code x}: mean softmax
     * cross-entropy, plus whatever the head adds to it (MagFace's feature-norm regulariser).
     */
    default Tensor loss(Tensor logits, Tensor x, Tensor labels) {
        return org.arcgrad.autodiff.Functional.crossEntropy(logits, labels);
    }
}
