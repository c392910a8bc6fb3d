package org.arcgrad.arcface.heads;

import org.arcgrad.autodiff.Tensor;

/**
 * A margin head: from embeddings x [N, D], class weights W [C, D] (out_features × in_features, the
 * seed's layout) and integer labels [N], the logits [N, C] that a softmax cross-entropy follows.
 * Heads are written in DSL ops, so their gradients and kernels come from the op set.
 */
public interface MarginHead {
    Tensor logits(Tensor x, Tensor w, Tensor labels);
}
