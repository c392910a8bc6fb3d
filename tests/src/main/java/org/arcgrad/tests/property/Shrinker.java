package org.arcgrad.tests.property;

import java.util.Iterator;

/**
 * Greedy shrinking: from a failing case, take the first candidate that still fails in the same way
 * (same exception class, so that shrinking does not slip to a different bug), and start again from
 * it; stop at a case none of whose candidates fails, or when the step or trial budget is spent
 * (each trial runs the property once, and gradient checks are not free).
 */
final class Shrinker {
    private Shrinker() {
    }

    static <T> Shrunk<T> shrink(Shrinkable<T> failing, Throwable failure, Property.Check<? super T> check,
                                int maxSteps, int maxTrials) {
        Shrinkable<T> current = failing;
        Throwable reason = failure;
        int steps = 0;
        int trials = 0;
        search:
        while (steps < maxSteps) {
            Iterator<Shrinkable<T>> candidates = current.shrinks().iterator();
            while (candidates.hasNext()) {
                if (trials >= maxTrials) {
                    return new Shrunk<>(current.value(), reason, steps, trials, true);
                }
                Shrinkable<T> candidate = candidates.next();
                trials++;
                Throwable t = Property.evaluate(check, candidate.value());
                if (t != null && !(t instanceof Discarded) && t.getClass() == failure.getClass()) {
                    current = candidate;
                    reason = t;
                    steps++;
                    continue search;
                }
            }
            return new Shrunk<>(current.value(), reason, steps, trials, false);
        }
        return new Shrunk<>(current.value(), reason, steps, trials, true);
    }
}
