package org.arcgrad.arcface.nn;

import org.arcgrad.autodiff.Tensor;

/**
 * Inverted dropout: in training mode x · mask, where the mask (an input named NAME.mask, filled
 * by the host each step from the run's seed and the step number, see {@link DropoutMasks}) holds
 * 0 with probability p and 1/(1 − p) otherwise; the identity in inference mode.
 */
public final class Dropout implements Layer {
    private final String name;
    private final double p;

    public Dropout(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + ": p must be in [0, 1), got " + p);
        }
        this.name = name;
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        if (!pass.training() || p == 0) {
            return x;
        }
        return x.mul(pass.dropoutMask(name + ".mask", p, x.shape().dims()));
    }

    public double p() {
        return p;
    }

    @Override
    public String describe() {
        return "Dropout(" + p + ")";
    }
}
