package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GradCheck.holdDetached(): a loss whose detached part moves with the inputs (a batch statistic,
 * CurricularFace's t) has a right gradient that plain central differences call wrong.
 */
class HoldDetachedTest {
    /** Σ x · detach(mean(x)²): the analytic gradient is mean(x)², the detached factor held constant. */
    private static final GradCheck.Fn BATCH_STATISTIC = (tape, a) -> a[0].mul(a[0].mean().square().detach()).sum();

    private static NDArray x() {
        return NDArray.uniform(Shape.of(6), 0.5, 2, new Random(3));
    }

    @Test
    void plainDifferencesMoveTheDetachedValueAndTheReportSaysSo() {
        GradCheck.Report r = GradCheck.of(BATCH_STATISTIC).check(x());
        assertFalse(r.passed(), r.toString());
        assertTrue(r.toString().contains("1 detach() node(s)") && r.toString().contains("holdDetached()"), r.toString());
    }

    @Test
    void heldDetachedValuesPassTheRightGradient() {
        GradCheck.Report r = GradCheck.of(BATCH_STATISTIC).holdDetached().check(x());
        assertTrue(r.passed(), r.toString());
        assertTrue(r.toString().contains("1 detached value(s) held"), r.toString());
    }

    @Test
    void heldDetachedValuesStillCatchAWrongRule() {
        GradientTable wrong = GradientTable.STANDARD.with(Op.MUL, (n, g) -> new Tensor[] {g.mul(n.input(1)).scale(1.5), g.mul(n.input(0))});
        GradCheck.Report r = GradCheck.of(BATCH_STATISTIC).holdDetached().rules(wrong).check(x());
        assertFalse(r.passed(), r.toString());
    }

    @Test
    void holdingChangesNothingWhereTheDetachedValueCancels() {
        // logSumExp detaches its max shift, which cancels: both ways pass, also by random directions
        GradCheck.Fn lse = (tape, a) -> Functional.logSumExp(a[0], 1, false).sum();
        NDArray x = NDArray.uniform(Shape.of(3, 4), -3, 3, new Random(5));
        assertTrue(GradCheck.of(lse).check(x).passed());
        assertTrue(GradCheck.of(lse).holdDetached().check(x).passed());
        assertTrue(GradCheck.of(lse).holdDetached().elementwiseUpTo(4, 5).check(x).passed());
    }

    @Test
    void aFailureWithoutDetachGivesNoHint() {
        GradientTable wrong = GradientTable.STANDARD.with(Op.EXP, (n, g) -> new Tensor[] {g.mul(n).scale(1.5)});
        GradCheck.Report r = GradCheck.of((tape, a) -> a[0].exp().sum()).rules(wrong).check(x());
        assertFalse(r.passed(), r.toString());
        assertFalse(r.toString().contains("holdDetached"), r.toString());
    }
}
