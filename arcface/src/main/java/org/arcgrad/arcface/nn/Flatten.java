package org.arcgrad.arcface.nn;

import org.arcgrad.autodiff.Tensor;

/** [N, C, H, W] → [N, C·H·W], in torch's order (channel, row, column). */
public final class Flatten implements Layer {
    @Override
    public Tensor forward(Tensor x, Pass pass) {
        int n = x.shape().dim(0);
        return x.reshape(n, (int) (x.shape().numel() / n));
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
