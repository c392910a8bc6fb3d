package org.arcgrad.tests.gradients;

/**
 * Domain guards for random expressions, written in the op set itself (so they are differentiated
 * and checked like everything else) and smooth (so they add no kinks):
 * <ul>
 *   <li>{@link #tame}: u ↦ k · u / sqrt(1 + u²) when u's bound exceeds k, so magnitudes stay below k
 *       and nested products or exponentials cannot blow up;</li>
 *   <li>{@link #positive}: u ↦ u² + 1/4 ≥ 1/4, for log, sqrt, fractional powers and divisors.</li>
 * </ul>
 */
final class Guards {
    /** The largest magnitude an operand may have before it is tamed. */
    static final double LIMIT = 10;

    private Guards() {
    }

    static Built tame(Built u) {
        return tame(u, LIMIT);
    }

    static Built tame(Built u, double k) {
        if (u.bound() <= k) {
            return u;
        }
        return new Built(u.t().mul(u.t().square().add(1).pow(-0.5)).scale(k), k);
    }

    static Built positive(Built u) {
        Built v = tame(u);
        return new Built(v.t().square().add(0.25), v.bound() * v.bound() + 0.25);
    }
}
