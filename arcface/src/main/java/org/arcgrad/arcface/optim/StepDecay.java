package org.arcgrad.arcface.optim;

/** lr · γ^⌊step / stepSize⌋, as torch.optim.lr_scheduler.StepLR (stepSize counted in optimizer steps). */
public record StepDecay(double lr, long stepSize, double gamma) implements Schedule {
    public StepDecay {
        if (stepSize < 1 || !(gamma > 0) || !(lr > 0)) {
            throw new IllegalArgumentException("step schedule: lr > 0, step size ≥ 1 and gamma > 0 needed");
        }
    }

    @Override
    public double lr(long step) {
        return lr * Math.pow(gamma, step / stepSize);
    }

    @Override
    public String describe() {
        return "step(lr=" + lr + ", step_size=" + stepSize + ", gamma=" + gamma + ")";
    }
}
