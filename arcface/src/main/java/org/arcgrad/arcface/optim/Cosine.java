package org.arcgrad.arcface.optim;

/**
 * Cosine annealing from lr to minLr over totalSteps, as torch.optim.lr_scheduler.CosineAnnealingLR
 * (closed form): minLr + (lr − minLr)·(1 + cos(π·step / totalSteps)) / 2; minLr after the end.
 */
public record Cosine(double lr, long totalSteps, double minLr) implements Schedule {
    public Cosine {
        if (totalSteps < 1 || !(lr > 0) || !(minLr >= 0)) {
            throw new IllegalArgumentException("cosine schedule: lr > 0, total steps ≥ 1 and min lr ≥ 0 needed");
        }
    }

    @Override
    public double lr(long step) {
        if (step >= totalSteps) {
            return minLr;
        }
        return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
    }

    @Override
    public String describe() {
        return "cosine(lr=" + lr + ", total_steps=" + totalSteps + ", min_lr=" + minLr + ")";
    }
}
