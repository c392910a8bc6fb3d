package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GradCheck's switches and its report at their edges: elementwise up to the limit, directions past it, ties, a ratio of exactly 1. */
class GradCheckEdgesTest {
    private static final GradCheck.Fn SQUARES = (t, a) -> a[0].square().sum();

    @Test
    void elementwiseUpToTheLimitThenRandomDirections() {
        GradCheck c = GradCheck.of(SQUARES).elementwiseUpTo(4, 3);
        GradCheck.Report atLimit = c.check(NDArray.of(Shape.of(4), 1, 2, 3, 4));
        assertEquals("elementwise central differences", atLimit.method());
        assertEquals(4, atLimit.checked());
        GradCheck.Report past = c.check(NDArray.of(Shape.of(5), 1, 2, 3, 4, 5));
        assertEquals("random-direction vector-Jacobian products", past.method());
        assertEquals(3, past.checked());
        assertTrue(past.passed(), past.toString());
        assertTrue(past.toString().contains("worst at a random direction through all inputs"), past.toString());
    }

    @Test
    void tiesReportTheFirstWorstElement() {
        GradCheck.Report r = GradCheck.of((t, a) -> a[0].scale(0).sum()).check(NDArray.of(Shape.of(3), 1, 2, 3));
        assertEquals(0, r.element());
        assertEquals(0, r.worstRatio());
        assertTrue(r.toString().startsWith("gradcheck passed (elementwise central differences, 3 checked): worst at input 0 element 0"),
                r.toString());
    }

    @Test
    void aRatioOfExactlyOnePassesAndTheStepAndTolerancesAreUsed() {
        // a planted neg rule with gradient 0: |0 − (−1)| against atol 1 is a ratio of exactly 1
        GradientTable zeroNeg = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g.scale(0)});
        GradCheck c = GradCheck.of((t, a) -> a[0].neg().sum()).rules(zeroNeg).step(0.5);
        GradCheck.Report exact = c.tolerances(1, 0).check(NDArray.of(Shape.of(1), 0));
        assertEquals(1, exact.worstRatio());
        assertTrue(exact.passed(), exact.toString());
        assertEquals(-1, exact.numeric());
        GradCheck.Report tighter = c.tolerances(0.5, 0).check(NDArray.of(Shape.of(1), 0));
        assertFalse(tighter.passed(), tighter.toString());
        assertEquals(2, tighter.worstRatio());
        assertTrue(tighter.toString().startsWith("gradcheck FAILED"), tighter.toString());
    }
}
