package org.arcgrad.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Edge cases really appear at their stated rates, and the shape generators keep their promises. */
@ExtendWith(DefaultKnobs.class)
class EdgeCaseTest {
    private static final int DRAWS = 10_000;

    @Test
    void edgeValuesAppearAtTheirStatedProbability() {
        Gen<Double> gen = Gens.doubles(-1, 1, 0.2, 0, 1, -1, 0.5);
        Random random = new Random(1);
        Map<Double, Integer> hits = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            hits.merge(gen.generate(random, Gen.MAX_SIZE).value(), 1, Integer::sum);
        }
        // 0.2 · 10000 / 4 = 500 expected per edge (σ ≈ 22); uniform draws hit them with probability 0
        for (double edge : new double[] {0, 1, -1, 0.5}) {
            int n = hits.getOrDefault(edge, 0);
            assertTrue(n > 400 && n < 600, "edge " + edge + " appeared " + n + " times");
        }
    }

    @Test
    void labelsIncludeTheFirstAndLastClass() {
        NDArray labels = Gens.labels(Shape.of(2000), 7, 0.2).generate(new Random(2), Gen.MAX_SIZE).value();
        int first = 0;
        int last = 0;
        for (double l : labels.data()) {
            assertTrue(l == Math.rint(l) && l >= 0 && l < 7, "label " + l);
            first += l == 0 ? 1 : 0;
            last += l == 6 ? 1 : 0;
        }
        // 0.2 / 2 + 0.8 / 7 ≈ 21% each
        assertTrue(first > 300 && last > 300, first + " zeros, " + last + " sixes");
    }

    @Test
    void shapesIncludeScalarsAndDimsOfOne() {
        Random random = new Random(3);
        int scalars = 0;
        int withOnes = 0;
        for (int i = 0; i < 1000; i++) {
            Shape s = Shapes.shapes(0, 3, 4).generate(random, Gen.MAX_SIZE).value();
            scalars += s.rank() == 0 ? 1 : 0;
            for (int d : s.dims()) {
                if (d == 1) {
                    withOnes++;
                    break;
                }
            }
        }
        assertTrue(scalars > 150, scalars + " scalars");
        assertTrue(withOnes > 300, withOnes + " shapes with a dim of 1");
    }

    @Test
    void broadcastOperandsBroadcastToTheirOutputAndOftenDiffer() {
        int[] differing = {0};
        Property.forAll("broadcast operands broadcast to out", Shapes.broadcast(Shapes.shapes(0, 3, 4), 3), b -> {
            Shape joint = b.operand(0);
            for (Shape s : b.operands()) {
                assertTrue(s.broadcastsTo(b.out()), s + " does not broadcast to " + b.out());
                joint = Shape.broadcast(joint, s);
                assertNotNull(joint, "operands do not broadcast together: " + b);
                differing[0] += s.equals(b.out()) ? 0 : 1;
            }
        });
        assertTrue(differing[0] > 50, differing[0] + " operands differed from the output shape");
    }

    @Test
    void reshapeTargetsKeepTheElementCount() {
        Property.forAll("reshape keeps numel", Shapes.shapes(0, 3, 6).flatMap(s -> Shapes.reshapeOf(s, 3).map(t -> new Shape[] {s, t})),
                p -> assertEquals(p[0].numel(), p[1].numel(), p[0] + " vs " + p[1]));
    }
}
