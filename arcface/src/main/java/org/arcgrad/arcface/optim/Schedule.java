package org.arcgrad.arcface.optim;

/**
 * A learning-rate schedule over optimizer steps. {@code step} counts the steps taken before the
 * one being scheduled (0 for the first), which is torch's {@code last_epoch} after that many
 * {@code scheduler.step()} calls.
 */
public interface Schedule {
    double lr(long step);

    /** The momentum (β1 for Adam) the schedule sets at {@code step}, or NaN when it leaves it alone. */
    default double momentum(long step) {
        return Double.NaN;
    }

    default Hyper at(long step) {
        return new Hyper(step, lr(step), momentum(step));
    }

    String describe();

    static Schedule constant(double lr) {
        return new Schedule() {
            @Override
            public double lr(long step) {
                return lr;
            }

            @Override
            public String describe() {
                return "constant(lr=" + lr + ")";
            }
        };
    }
}
