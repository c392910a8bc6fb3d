package org.arcgrad.tests.gradients;

/** GradCheck's bar (torch.autograd.gradcheck's): |analytic − numeric| ≤ atol + rtol·|numeric|, never NaN. */
final class Tolerance {
    static final double STEP = 1e-6;
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-3;

    private Tolerance() {
    }

    static boolean close(double analytic, double numeric) {
        return Double.isFinite(analytic) && Double.isFinite(numeric) && Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric);
    }
}
