package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Interpreter.runWithRoundingNoise, the slack of every device test: each rounded result moves by
 * at most u relative and does move; comparisons, max, views and selections stay exact. And
 * Interpreter.runInFloat, which rounds every result to fp32.
 */
class RoundingNoiseTest {
    private static final double U = 1e-3;

    @Test
    void arithmeticMovesByAtMostUAndExactOpsStayExact() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 200);
        Tensor y = tape.input("y", 200);
        Tensor sum = x.add(y);
        Tensor product = x.mul(y);
        Tensor mask = x.gt(y);
        Tensor chosen = Functional.where(mask, x, y);
        Tensor top = x.max(0, false);
        Tensor view = x.reshape(20, 10).transpose();
        Random r = new Random(3);
        NDArray xv = NDArray.uniform(Shape.of(200), 1, 2, r);
        NDArray yv = NDArray.uniform(Shape.of(200), 1, 2, r);
        Graph g = Graph.of(sum, product, mask, chosen, top, view);
        NDArray[] exact = Interpreter.run(g, Map.of(x, xv, y, yv));
        NDArray[] noisy = Interpreter.runWithRoundingNoise(g, Map.of(x, xv, y, yv), U, new Random(5));
        for (int k = 0; k < 2; k++) {
            double largest = 0;
            for (int i = 0; i < 200; i++) {
                double rel = Math.abs(noisy[k].data()[i] / exact[k].data()[i] - 1);
                assertTrue(rel <= U * (1 + 1e-12), "output " + k + " moved by " + rel);
                largest = Math.max(largest, rel);
            }
            assertTrue(largest > U / 2, "output " + k + " barely moved: " + largest);
        }
        for (int k = 2; k < 6; k++) {
            for (int i = 0; i < exact[k].size(); i++) {
                assertEquals(exact[k].data()[i], noisy[k].data()[i], 0, "output " + k + " must stay exact");
            }
        }
    }

    @Test
    void theMirroredRunMovesEachResultTheOtherWay() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 50);
        Tensor y = tape.input("y", 50);
        Graph g = Graph.of(x.mul(y));
        Random r = new Random(7);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.uniform(Shape.of(50), 1, 2, r), y, NDArray.uniform(Shape.of(50), 1, 2, r));
        double[] exact = Interpreter.run(g, feeds)[0].data();
        double[] up = Interpreter.runWithRoundingNoise(g, feeds, U, new Random(11), false)[0].data();
        double[] down = Interpreter.runWithRoundingNoise(g, feeds, U, new Random(11), true)[0].data();
        for (int i = 0; i < 50; i++) {
            assertEquals(exact[i], (up[i] + down[i]) / 2, 1e-12 * exact[i], "element " + i + ": the two runs straddle the exact value");
            assertTrue(up[i] != exact[i], "element " + i + " did not move");
        }
    }

    /** runInFloat rounds each result to fp32 as it goes: (1 + 2⁻³⁰) − 1 is 0 there, 2⁻³⁰ in fp64. */
    @Test
    void theFloatRunRoundsEveryResult() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 1);
        Graph g = Graph.of(x.add(0x1p-30).sub(x));
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.of(Shape.of(1), 1.0));
        assertEquals(0x1p-30, Interpreter.run(g, feeds)[0].data()[0], 0);
        assertEquals(0.0, Interpreter.runInFloat(g, feeds)[0].data()[0], 0);
    }
}
