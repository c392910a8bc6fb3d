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
     * The logits within a model's training or inference pass. A head with training state
     * (CurricularFace's running t) declares it through {@code pass} as a state parameter, which
     * the step then carries, updates and checkpoints like batch norm's running statistics, and
     * reports its new value in training mode. Stateless heads need not override this.
     */
    default Tensor logits(Tensor x, Tensor w, Tensor labels, org.arcgrad.arcface.nn.Pass pass) {
        return logits(x, w, labels);
    }

    /**
     * The training loss from this head's {@code logits} for embeddings {@code x}: mean softmax
     * cross-entropy, plus whatever the head adds to it (MagFace's feature-norm regulariser).
     */
    default Tensor loss(Tensor logits, Tensor x, Tensor labels) {
        return org.arcgrad.autodiff.Functional.crossEntropy(logits, labels);
    }
}
