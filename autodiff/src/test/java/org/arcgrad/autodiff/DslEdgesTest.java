package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DSL's edges: scalar shortcuts, bounds and axes at their limits, dumps, and gradients wrt later or overridden nodes. */
class DslEdgesTest {
    @Test
    void scalarShortcutsAreTheOpsTheyStandFor() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 3);
        NDArray v = NDArray.of(Shape.of(3), 1, -2, 4);
        NDArray[] r = Interpreter.run(Map.of(x, v), x.mul(3), x.div(4), x.expand(2, 3), x.clamp(0.5, 0.5));
        assertArrayEquals(new double[] {3, -6, 12}, r[0].data());
        assertArrayEquals(new double[] {0.25, -0.5, 1}, r[1].data());
        assertArrayEquals(new double[] {1, -2, 4, 1, -2, 4}, r[2].data());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, r[3].data(), "a clamp to one point is allowed");
        assertThrows(ShapeException.class, () -> x.clamp(1, 0.5));
        assertSame(x, x.expand(3), "expanding to the own shape adds no node");
    }

    @Test
    void axesAtTheLimitsOfTheRank() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 3);
        assertEquals(Shape.of(3), x.sum(-2, false).shape());
        assertEquals(Shape.of(2), x.sum(1, false).shape());
        assertThrows(ShapeException.class, () -> x.sum(2, false));
        assertThrows(ShapeException.class, () -> x.sum(-3, false));
    }

    @Test
    void nodesPrintTheirOpShapeInputsAttributesAndSite() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 3);
        Tensor y = tape.labels("y", 2);
        Tensor r = x.reshape(3, 2);
        Tensor s = x.sum(1, true);
        Tensor c = x.clamp(-1, 1);
        Tensor o = Functional.oneHot(y, 4);
        assertEquals("%0 = input [2, 3] \"x\"", x.toString());
        assertEquals("%1 = input int [2] \"y\"", y.describe());
        assertEquals("%2 = reshape [3, 2] (%0) to [3, 2]", r.describe());
        assertEquals("%3 = sum [2, 1] (%0) axis 1", s.describe());
        assertEquals("%4 = clamp [2, 3] (%0) [-1.0, 1.0]", c.describe());
        assertEquals("%5 = one_hot [2, 4] (%1) classes 4", o.describe());
        assertEquals("%6 = neg [2, 3] (%0)", x.neg().describe());
        assertTrue(tape.constant(2.5).site().startsWith("org.arcgrad.autodiff.DslEdgesTest."), "a constant's site: " + tape.constant(2.5).site());
        assertEquals(5, Op.ADD.pointwise().apply(2, 3, 0, new double[0]));
        assertEquals(null, Op.SUM.pointwise());
        assertTrue(c.site().startsWith("org.arcgrad.autodiff.DslEdgesTest.nodesPrintTheirOpShapeInputsAttributesAndSite(DslEdgesTest.java:"),
                c.site());
        Graph g = Graph.of(s, c);
        assertEquals("%0 = input [2, 3] \"x\"\n%3 = sum [2, 1] (%0) axis 1   -> output 0\n%4 = clamp [2, 3] (%0) [-1.0, 1.0]   -> output 1\n",
                g.dump());
    }

    @Test
    void aParameterMadeAfterTheLossGetsZeros() {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 2);
        Tensor loss = x.square().sum();
        Tensor later = tape.param("later", 2);
        Tensor[] g = tape.grad(loss, x, later);
        NDArray[] r = Interpreter.run(Map.of(x, NDArray.of(Shape.of(2), 1, 3), later, NDArray.of(Shape.of(2), 5, 5)), g[0], g[1]);
        assertArrayEquals(new double[] {2, 6}, r[0].data());
        assertArrayEquals(new double[] {0, 0}, r[1].data());
    }

    @Test
    void chainedOverridesKeepEveryReplacedRule() {
        GradientTable table = GradientTable.STANDARD.with(Op.NEG, (n, g) -> new Tensor[] {g.scale(7)})
                .with(Op.EXP, (n, g) -> new Tensor[] {g.scale(3)});
        Tape tape = new Tape(table);
        Tensor x = tape.param("x", 1);
        Tensor[] g = tape.grad(x.neg().add(x.exp()).sum(), x);
        assertEquals(10, Interpreter.run(Map.of(x, NDArray.of(Shape.of(1), 0.5)), g[0])[0].item(), 0);
    }
}
