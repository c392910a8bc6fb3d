package org.arcgrad.arcface;

/**
 * A head's forward and backward on one batch, in fp32 row-major arrays: logits [N, C] (the seed's
 * {@code output}), the mean cross-entropy, and its gradients for x [N, D] and W (W's shape).
 */
public record HeadResult(float[] logits, float loss, float[] gradX, float[] gradW) {
}
