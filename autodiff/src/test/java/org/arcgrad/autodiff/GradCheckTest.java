package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    private final Random random = new Random(7);

    @Test
    void passesOnACorrectComposite() {
        NDArray x = NDArray.uniform(Shape.of(3, 4), -1, 1, random);
        NDArray w = NDArray.uniform(Shape.of(5, 4), -1, 1, random);
        GradCheck.Report r = GradCheck.of((tape, a) -> Functional.logSoftmax(Functional.linear(a[0], a[1]), 1))
                .check(x, w);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void failsOnAPlantedWrongRuleAndNamesTheElement() {
        GradientTable wrong = GradientTable.STANDARD.with(Op.EXP, (n, g) -> new Tensor[] {g.mul(n).scale(1.01)});
        NDArray x = NDArray.uniform(Shape.of(4), -1, 1, random);
        GradCheck.Report r = GradCheck.of((tape, a) -> a[0].exp().sum()).rules(wrong).check(x);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.toString().contains("input 0 element"), r.toString());
    }

    @Test
    void randomDirectionsScaleToLargeInputs() {
        NDArray x = NDArray.uniform(Shape.of(64, 128), -1, 1, random);
        GradCheck.Report r = GradCheck.of((tape, a) -> Functional.normalize(a[0]).square().mul(a[0]).sum())
                .elementwiseUpTo(1000, 4).check(x);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.method().contains("random-direction"), r.method());

        GradientTable wrong = GradientTable.STANDARD.with(Op.POW, (n, g) -> new Tensor[] {g.mul(n.input(0))});
        GradCheck.Report bad = GradCheck.of((tape, a) -> a[0].pow(3).sum()).rules(wrong).elementwiseUpTo(1000, 4).check(x);
        assertFalse(bad.passed(), bad.toString());
    }

    @Test
    void nanNeverPasses() {
        NDArray x = NDArray.of(Shape.of(2), 0, 1);
        GradCheck.Report r = GradCheck.of((tape, a) -> a[0].sqrt().sum()).check(x);
        assertFalse(r.passed(), r.toString());
    }

    @Test
    void powWithExponentZeroHasZeroGradientEvenAtZero() {
        NDArray x = NDArray.of(Shape.of(3), 0, -2, 5);
        GradCheck.Report r = GradCheck.of((tape, a) -> tape.record(Op.POW, Attrs.scalars(0), a[0])).check(x);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.analytic() == 0 && r.numeric() == 0, r.toString());
    }
}
