package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.DefaultKnobs;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The properties can fail: with one gradient rule replaced by a wrong one (GradientTable.with),
 * the very properties the suite runs must report it, with the seed, a replay command and a
 * shrunk case, and the same seed must replay the same report.
 */
@ExtendWith(DefaultKnobs.class)
class PlantedWrongRuleTest {
    @Test
    void aWrongSqrtRuleFailsTheSqrtPropertyAndShrinksToOneSimplestValue() {
        GradientTable wrong = GradientTable.STANDARD.with(Op.SQRT, (n, g) -> new Tensor[] {g.div(n).scale(0.6)});
        Property.Check<GradCase> check = c -> GradientAssertions.assertMatchesFiniteDifferences(c, wrong);
        Property.Outcome<GradCase> o = Property.named("sqrt with a planted wrong rule").run(OpCases.catalogue().get(Op.SQRT), check);

        assertNotNull(o.failure(), "a sqrt rule off by 20% went unnoticed");
        String m = o.failure().error().getMessage();
        assertReportNamesSeedAndShrunkCase(m, o.seed());
        assertTrue(m.contains("gradcheck FAILED"), m);
        GradCase shrunk = o.failure().shrunkValue();
        assertEquals(1, shrunk.elements(), "shrunk to a single element: " + shrunk);
        assertEquals(1e-3, shrunk.inputs().get(0).data()[0], "shrunk to the domain's simplest value: " + shrunk);

        AssertionError replayed = assertThrows(AssertionError.class,
                () -> Property.named("sqrt with a planted wrong rule").seed(o.seed()).forAll(OpCases.catalogue().get(Op.SQRT), check));
        assertEquals(m, replayed.getMessage(), "the seed must replay the same failure");
        assertNull(Property.named("sqrt, standard rule").seed(o.seed()).run(OpCases.catalogue().get(Op.SQRT),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, GradientTable.STANDARD)).failure());
    }

    @Test
    void aWrongMulRuleFailsTheMulPropertyAndShrinksToTwoScalars() {
        // swapped operands: right only where both operands hold the same value
        GradientTable wrong = GradientTable.STANDARD.with(Op.MUL, (n, g) -> new Tensor[] {g.mul(n.input(0)), g.mul(n.input(1))});
        Property.Outcome<GradCase> o = Property.named("mul with a planted wrong rule").run(OpCases.catalogue().get(Op.MUL),
                c -> GradientAssertions.assertMatchesFiniteDifferences(c, wrong));

        assertNotNull(o.failure(), "a mul rule with swapped operands went unnoticed");
        assertReportNamesSeedAndShrunkCase(o.failure().error().getMessage(), o.seed());
        GradCase shrunk = o.failure().shrunkValue();
        assertEquals(2, shrunk.elements(), "shrunk to two scalar operands: " + shrunk);
    }

    /**
     * (MUL would be a poor plant here: GradCheck forms ⟨out, v⟩ with MUL itself, so under a wrong MUL
     * rule even a bare parameter fails, and the shrinker rightly reduces every tree to one leaf.)
     */
    @Test
    void aWrongExpRuleFailsTheRandomExpressionPropertyAndShrinksTheTree() {
        GradientTable wrong = GradientTable.STANDARD.with(Op.EXP, (n, g) -> new Tensor[] {g.mul(n).scale(1.05)});
        Property.Outcome<Expr> o = Property.named("random expressions with a planted wrong exp").run(ExprGen.exprs(),
                e -> GradientAssertions.assertMatchesFiniteDifferencesAwayFromKinks(e.toCase(), wrong));

        assertNotNull(o.failure(), "an exp rule off by 5% went unnoticed");
        String m = o.failure().error().getMessage();
        assertReportNamesSeedAndShrunkCase(m, o.seed());
        assertTrue(m.contains("forward tape:\n") && m.contains(" = exp "), "the failing expression is printed as its tape: " + m);
        Expr shrunk = o.failure().shrunkValue();
        // one step over a leaf (exp, softmax, logSumExp, …), or crossEntropy over a leaf and its labels
        assertTrue(shrunk.size() >= 2 && shrunk.size() <= 3, "shrunk tree: " + shrunk + "\n" + m);
        assertTrue(shrunk.size() <= o.failure().original().size());
    }

    @Test
    void aWrongPowRuleFailsTheLargeTensorVectorJacobianProperty() {
        // 10% off: pow is inside normalize (square, and the inverse square root of the norm)
        GradientTable wrong = GradientTable.STANDARD.with(Op.POW, (n, g) -> {
            double e = n.attrs().scalar(0);
            return new Tensor[] {g.mul(n.input(0).pow(e - 1)).scale(e * 1.1)};
        });
        Property.Outcome<LargeTensorVjpTest.Head> o = Property.named("large VJP with a planted wrong pow").tries(20).shrinking(3, 6)
                .run(LargeTensorVjpTest.heads(), h -> LargeTensorVjpTest.check(h, wrong));

        assertNotNull(o.failure(), "a pow rule off by 10% went unnoticed on 256x512 inputs");
        assertReportNamesSeedAndShrunkCase(o.failure().error().getMessage(), o.seed());
        assertTrue(o.failure().error().getMessage().contains("random-direction vector-Jacobian products"));
    }

    private static void assertReportNamesSeedAndShrunkCase(String m, long seed) {
        assertTrue(m.contains("seed:     " + seed + "\n"), m);
        assertTrue(m.contains("-Darcgrad.seed=" + seed), m);
        assertTrue(m.contains("-Dtest=PlantedWrongRuleTest#"), m);
        assertTrue(m.contains("\n  original: ") && m.contains("\n  shrunk:   ") && m.contains("\n  reason:   "), m);
    }
}
