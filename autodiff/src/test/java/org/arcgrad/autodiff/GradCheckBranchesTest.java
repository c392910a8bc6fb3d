package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What GradCheck does when a central difference disagrees with the analytic gradient: a sharp
 * curve is measured again with a five-point difference, a step across a branch is not judged, and
 * a wrong rule fails either way.
 */
class GradCheckBranchesTest {
    private static final GradCheck RELU = GradCheck.of((t, a) -> Functional.relu(a[0]).sum());

    @Test
    void aStepAcrossABranchIsNotJudgedAndTheRestIs() {
        // relu at 0 and 3e-7 (within the 1e-6 step): the differences say 1/2 and 0.65, the rule 0 and 1
        GradCheck.Report r = RELU.check(NDArray.of(Shape.of(3), 0.5, 0.0, 3e-7));
        assertTrue(r.passed(), r.toString());
        assertEquals(3, r.checked());
        assertEquals(2, r.atBranches());
        assertTrue(r.toString().contains("3 checked, 2 not judged: their step crosses a branch"), r.toString());

        GradCheck.Report clamp = GradCheck.of((t, a) -> a[0].clamp(-1, 1).sum()).check(NDArray.of(Shape.of(2), 1.0, 0.3));
        assertTrue(clamp.passed(), clamp.toString());
        GradCheck.Report max = GradCheck.of((t, a) -> a[0].max(0, true).sum()).check(NDArray.of(Shape.of(3), 2.0, 2.0, -1.0));
        assertTrue(max.passed(), max.toString());
    }

    @Test
    void aTieForAMaxPoolingWindowIsNotJudged() {
        // windows of 1×2 over [0.5, 0.5, 0.1, 0.9]: the first two tie (a ReLU's zeros do all the time),
        // the difference there says 1/2 where the rule gives the winner 1 and the other 0
        GradCheck pool = GradCheck.of((t, a) -> a[0].maxPool2d(new Pool2d(1, 2, 1, 2, 0, 0)).sum());
        GradCheck.Report r = pool.check(NDArray.of(Shape.of(1, 1, 1, 4), 0.5, 0.5, 0.1, 0.9));
        assertTrue(r.passed(), r.toString());
        assertEquals(2, r.atBranches());
    }

    @Test
    void aNonFiniteGradientAtAKinkIsNeverExcused() {
        // where(x > 0, sqrt(x), 0) at 0, a user's guard: the branch not taken still sends sqrt its
        // upstream 0, times sqrt's ∞ at 0 is NaN (as in torch), and the step crosses the comparison
        GradCheck.Report r = GradCheck.of((t, a) -> Functional.where(a[0].gt(0), a[0].sqrt(), a[0].scale(0)).sum())
                .check(NDArray.of(Shape.of(2), 0.0, 1.0));
        assertFalse(r.passed(), r.toString());
        assertEquals(0, r.atBranches());
        assertTrue(Double.isNaN(r.analytic()), r.toString());
    }

    @Test
    void aCheckWithNothingLeftToJudgeFails() {
        GradCheck.Report r = RELU.check(NDArray.of(Shape.of(1), 0.0));
        assertFalse(r.passed(), r.toString());
        assertEquals(1, r.atBranches());
        assertTrue(r.toString().contains("nothing left to judge"), r.toString());
    }

    @Test
    void aWrongRuleFailsAtSmoothPointsOfAFunctionWithBranches() {
        GradientTable wrongNeg = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g});
        GradCheck.Report r = GradCheck.of((t, a) -> Functional.relu(a[0].neg()).sum()).rules(wrongNeg)
                .check(NDArray.of(Shape.of(3), -0.5, -0.7, 0.0));
        assertFalse(r.passed(), r.toString());
        assertTrue(r.element() < 2, r.toString());
        assertEquals(1, r.atBranches());
        // the two-sided slope is −1 wherever the rule says +1
        assertEquals(-1, r.numeric(), 1e-6);
    }

    @Test
    void aSharpCurveIsMeasuredAgainWithAFivePointDifference() {
        // sqrt at 3e-6: the central difference at 1e-6 is off by about 4 (f''' h² / 6), the five-point one by 0.05
        GradCheck sqrt = GradCheck.of((t, a) -> a[0].sqrt().sum());
        GradCheck.Report right = sqrt.check(NDArray.of(Shape.of(1), 3e-6));
        assertTrue(right.passed(), right.toString());
        assertEquals(0, right.atBranches());
        double exact = 0.5 / Math.sqrt(3e-6);
        assertEquals(exact, right.numeric(), 0.1);
        double central = (Math.sqrt(4e-6) - Math.sqrt(2e-6)) / 2e-6;
        assertTrue(Math.abs(central - exact) > 1, "the central difference alone would fail: " + central + " vs " + exact);

        GradientTable offByOnePercent = GradientTable.STANDARD.with(Op.SQRT,
                (n, g) -> new Tensor[] {g.div(n.scale(2)).scale(1.01)});
        GradCheck.Report wrong = sqrt.rules(offByOnePercent).check(NDArray.of(Shape.of(1), 3e-6));
        assertFalse(wrong.passed(), wrong.toString());
    }

    @Test
    void everyElementIsJudgedAtTheBasePoint() {
        // relu(x0) + x0·x1 + x1·x2 at (0, 1, 0): x0 sits on the kink, and the differences of x1 and x2
        // are exact; had a step been left in place (x0 at −h after its branch test, x1 at 1 − h after
        // its central difference), the next element's difference would be off by h ≫ atol
        GradCheck c = GradCheck.of((t, a) -> Functional.relu(a[0]).add(a[0].mul(a[1])).add(a[1].mul(a[2])).sum())
                .tolerances(1e-9, 0);
        GradCheck.Report r = c.check(NDArray.of(Shape.of(1), 0.0), NDArray.of(Shape.of(1), 1.0), NDArray.of(Shape.of(1), 0.0));
        assertTrue(r.passed(), r.toString());
        assertEquals(1, r.atBranches());
    }

    @Test
    void theCentralDifferenceDecidesWhenItAgrees() {
        // x³ at 0 with step 0.5: the central difference is h² = 0.25, the five-point one exact (0);
        // at atol 0.25 the central one agrees (ratio exactly 1) and is the one reported
        GradCheck.Report r = GradCheck.of((t, a) -> a[0].pow(3).sum()).step(0.5).tolerances(0.25, 0)
                .check(NDArray.of(Shape.of(1), 0.0));
        assertTrue(r.passed(), r.toString());
        assertEquals(0.25, r.numeric());
        assertEquals(1, r.worstRatio());
    }

    @Test
    void randomDirectionsAreJudgedTheSameWay() {
        GradCheck.Report r = RELU.elementwiseUpTo(2, 4).check(NDArray.of(Shape.of(3), 0.5, 0.0, 0.25));
        assertEquals("random-direction vector-Jacobian products", r.method());
        assertEquals(4, r.checked());
        assertEquals(4, r.atBranches());
        assertFalse(r.passed(), r.toString());
    }
}
