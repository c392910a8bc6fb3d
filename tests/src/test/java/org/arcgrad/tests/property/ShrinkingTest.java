package org.arcgrad.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.arcgrad.autodiff.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shrinker really reaches a minimal failing case, and stops within its budget. */
@ExtendWith(DefaultKnobs.class)
class ShrinkingTest {
    @Test
    void allIntsBelowFiftyShrinksToExactlyFifty() {
        Property.Outcome<Integer> o = Property.named("all ints < 50").run(Gens.ints(0, 1000), x -> assertTrue(x < 50, x + " >= 50"));
        assertNotNull(o.failure(), "a run over [0, 1000] must meet a value >= 50");
        assertEquals(50, o.failure().shrunkValue(), o.failure().error().getMessage());
    }

    @Test
    void negativeRangeShrinksTowardZeroToo() {
        Property.Outcome<Integer> o = Property.named("all ints > -20").run(Gens.ints(-500, 500), x -> assertTrue(x > -20));
        assertNotNull(o.failure());
        assertEquals(-20, o.failure().shrunkValue());
    }

    @Test
    void listShrinksToNonNegativeElementsSummingToTheBoundary() {
        Gen<List<Integer>> lists = Gen.listOf(5, Gens.ints(-100, 100));
        Property.Outcome<List<Integer>> o = Property.named("sum < 100").run(lists,
                l -> assertTrue(l.stream().mapToInt(Integer::intValue).sum() < 100));
        assertNotNull(o.failure(), "five ints in [-100, 100] must sometimes sum to 100 or more");
        List<Integer> shrunk = o.failure().shrunkValue();
        assertEquals(100, shrunk.stream().mapToInt(Integer::intValue).sum(), shrunk.toString());
        assertTrue(shrunk.stream().allMatch(x -> x >= 0), shrunk.toString());
    }

    @Test
    void shapeShrinksToOneOffendingDimensionAndOnesElsewhere() {
        Property.Outcome<Shape> o = Property.named("no dim above 3").run(Shapes.shapes(0, 3, 10), s -> {
            for (int d : s.dims()) {
                assertTrue(d <= 3, "dim " + d);
            }
        });
        assertNotNull(o.failure());
        Shape shrunk = o.failure().shrunkValue();
        assertEquals(4, shrunk.numel(), shrunk.toString());
    }

    @Test
    void flatMappedValuesShrinkWithTheirShape() {
        // arrays whose every element is below 0.5: the minimal counterexample is one element equal to 0.5
        Gen<double[]> arrays = Shapes.shapes(1, 2, 5).flatMap(s -> Gens.arrays(s, Gens.doubles(-1, 1, 0.1, 0.5))).map(a -> a.data());
        Property.Outcome<double[]> o = Property.named("elements < 0.5").run(arrays, a -> {
            for (double x : a) {
                assertTrue(x < 0.5);
            }
        });
        assertNotNull(o.failure());
        double[] shrunk = o.failure().shrunkValue();
        assertEquals(1, shrunk.length, java.util.Arrays.toString(shrunk));
        assertTrue(shrunk[0] >= 0.5 && shrunk[0] < 0.51, java.util.Arrays.toString(shrunk));
    }

    @Test
    void shrinkingStopsAtTheStepBudget() {
        // every double fails, and halving toward 0 never ends: only the budget stops it
        Property.Outcome<Double> o = Property.named("always fails").shrinking(7, 1000)
                .run(Gens.doubles(1, 1e9).map(x -> x), x -> assertTrue(x < 0));
        assertNotNull(o.failure());
        assertTrue(o.failure().shrunk().steps() <= 7, o.failure().error().getMessage());
    }
}
