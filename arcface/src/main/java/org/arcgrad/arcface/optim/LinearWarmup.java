package org.arcgrad.arcface.optim;

/**
 * A linear warm-up before another schedule: for step &lt; warmupSteps the rate rises linearly from
 * startFactor · then.lr(0) to then.lr(0) (torch's LinearLR), after which {@code then} runs from
 * its own step 0 (torch's SequentialLR with one milestone at warmupSteps).
 */
public record LinearWarmup(Schedule then, long warmupSteps, double startFactor) implements Schedule {
    public LinearWarmup {
        if (warmupSteps < 1 || !(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("warm-up: steps ≥ 1 and start factor in (0, 1] needed");
        }
    }

    @Override
    public double lr(long step) {
        if (step >= warmupSteps) {
            return then.lr(step - warmupSteps);
        }
        return then.lr(0) * (startFactor + (1 - startFactor) * step / (double) warmupSteps);
    }

    @Override
    public double momentum(long step) {
        return then.momentum(Math.max(0, step - warmupSteps));
    }

    @Override
    public String describe() {
        return "warmup(" + warmupSteps + " steps from " + startFactor + "×) then " + then.describe();
    }
}
