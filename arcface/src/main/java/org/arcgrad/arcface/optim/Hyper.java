package org.arcgrad.arcface.optim;

/**
 * What a schedule says for one optimizer step: the learning rate, and the momentum (SGD) or β1
 * (Adam) when the schedule cycles it, else NaN (the optimizer's own value holds).
 *
 * @param step optimizer steps taken before this one (0 for the first step)
 */
public record Hyper(long step, double lr, double momentum) {
    public boolean cyclesMomentum() {
        return !Double.isNaN(momentum);
    }
}
