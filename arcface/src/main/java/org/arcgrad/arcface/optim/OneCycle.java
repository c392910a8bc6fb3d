package org.arcgrad.arcface.optim;

/**
 * The one-cycle policy of torch.optim.lr_scheduler.OneCycleLR (torch 1.13), two phases, with its
 * defaults: pct_start 0.3, anneal_strategy "cos", div_factor 25, final_div_factor 1e4,
 * three_phase False, cycle_momentum True with base_momentum 0.85 and max_momentum 0.95.
 *
 * <pre>
 * initial = maxLr / div_factor,  min = initial / final_div_factor
 * phase 1: steps 0 … pct_start·T − 1   lr initial → maxLr,  momentum max → base
 * phase 2: … T − 1                      lr maxLr → min,      momentum base → max
 * within a phase: anneal(a, b, pct) = b + (a − b)/2 · (cos(π·pct) + 1),
 *                 pct = (step − phase start) / (phase end − phase start)
 * </pre>
 *
 * Like torch, cycling momentum overrides the optimizer's own momentum (SGD) or β1 (Adam) at every
 * step. Steps past T − 1 keep the final values (torch raises an error there instead).
 */
public final class OneCycle implements Schedule {
    public static final double PCT_START = 0.3;
    public static final double DIV_FACTOR = 25;
    public static final double FINAL_DIV_FACTOR = 1e4;
    public static final double BASE_MOMENTUM = 0.85;
    public static final double MAX_MOMENTUM = 0.95;

    private final double maxLr;
    private final long totalSteps;
    private final boolean cycleMomentum;

    /** torch's defaults, with cycle_momentum on. */
    public OneCycle(double maxLr, long totalSteps) {
        this(maxLr, totalSteps, true);
    }

    public OneCycle(double maxLr, long totalSteps, boolean cycleMomentum) {
        if (!(maxLr > 0) || totalSteps < 2) {
            throw new IllegalArgumentException("one-cycle: max lr > 0 and at least 2 total steps needed");
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.cycleMomentum = cycleMomentum;
    }

    @Override
    public double lr(long step) {
        double initial = maxLr / DIV_FACTOR;
        return phased(step, initial, maxLr, initial / FINAL_DIV_FACTOR);
    }

    @Override
    public double momentum(long step) {
        return cycleMomentum ? phased(step, MAX_MOMENTUM, BASE_MOMENTUM, MAX_MOMENTUM) : Double.NaN;
    }

    /** a → b over phase 1, b → c over phase 2, as torch's _schedule_phases and get_lr. */
    private double phased(long step, double a, double b, double c) {
        double s = Math.min(step, totalSteps - 1);
        double end1 = PCT_START * totalSteps - 1;
        double end2 = totalSteps - 1;
        if (s <= end1) {
            return anneal(a, b, s / end1);
        }
        return anneal(b, c, (s - end1) / (end2 - end1));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override
    public String describe() {
        return "onecycle(max_lr=" + maxLr + ", total_steps=" + totalSteps + (cycleMomentum ? ", momentum 0.95→0.85→0.95" : "") + ")";
    }
}
