package org.arcgrad.tests.gradients;

import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Shapes;

/**
 * Value generators for each op's domain, with that domain's edges mixed in. A central difference
 * with step 1e-6 needs the function smooth within 1e-6 of the point, so every domain stays that far
 * (or much farther) from poles and kinks; the kinks themselves get properties of their own.
 */
final class Domains {
    /** Probability of drawing one of a domain's edge values instead of a uniform one. */
    static final double EDGE = 0.25;

    private Domains() {
    }

    /** Anywhere on the real line that exp does not overflow: 0, ±1, ±1/2, tiny and the ends. */
    static Gen<Double> reals() {
        return Gens.doubles(-3, 3, EDGE, 0, 1, -1, 0.5, -0.5, 1e-3, -1e-3, 3, -3);
    }

    /** Positive values for log, sqrt and fractional powers: 1e-3 is near the pole but its difference is still exact to 1e-6. */
    static Gen<Double> positives() {
        return Gens.doubles(1e-3, 10, EDGE, 1e-3, 1e-2, 1, 10);
    }

    /** Divisors: magnitude in [0.1, 4], either sign. */
    static Gen<Double> awayFromZero() {
        Gen<Double> magnitude = Gens.doubles(0.1, 4, EDGE, 0.1, 1, 4);
        return Gen.zip(magnitude, Gens.booleans(0.5), (m, negative) -> negative ? -m : m);
    }

    /** Reals at least {@code gap} away from {@code point}, with ±gap around it as edges. */
    static Gen<Double> awayFrom(double point, double gap) {
        return Gens.doubles(point - 3, point + 3, EDGE, point - gap, point + gap, point + 1, point - 1)
                .filter("at least " + gap + " from " + point, x -> Math.abs(x - point) >= gap);
    }

    /**
     * Cosines for cosAdd: (−1, 1) with the near-±1 values where its derivative c·sin m / sqrt(1 − c²)
     * grows large (1 − 1e-3, 1 − 1e-4 and negatives). Closer than about 1e-5 to ±1 the third
     * derivative is so large that a central difference with step 1e-6 is itself wrong, so exactly ±1
     * and the clamped band are checked separately (see CosAddEdgesTest).
     */
    static Gen<Double> cosines() {
        double a = 1 - 1e-3;
        double b = 1 - 1e-4;
        return Gens.doubles(-b, b, 0.4, a, -a, b, -b, 0, 0.5, -0.5);
    }

    /** Small shapes for elementwise ops: rank 0 to 3, dims up to 4 with dims of 1 favoured. */
    static Gen<Shape> smallShapes() {
        return Shapes.shapes(0, 3, 4);
    }

    /** An array of the given shape with values from {@code values}. */
    static Gen<NDArray> array(Shape shape, Gen<Double> values) {
        return Gens.arrays(shape, values);
    }

    /**
     * Uniform values at least 1e-4 apart (shrinking included), so that max's argmax does not move
     * within a finite-difference step; ties have their own property (MaxTiesTest).
     */
    static Gen<NDArray> distinctArray(Shape shape) {
        return Gens.arrays(shape, Gens.doubles(-3, 3)).filter("values 1e-4 apart", a -> {
            double[] d = a.data().clone();
            java.util.Arrays.sort(d);
            for (int i = 1; i < d.length; i++) {
                if (d[i] - d[i - 1] < 1e-4) {
                    return false;
                }
            }
            return true;
        });
    }

    /** An image batch [N, C, H, W] of reals, each dim 1 to 3. */
    static Gen<NDArray> array4d() {
        return Gen.listOf(4, Gens.ints(1, 3)).flatMap(d -> Gens.arrays(Shape.of(d.get(0), d.get(1), d.get(2), d.get(3)), reals()));
    }

    /** An array of a random small shape. */
    static Gen<NDArray> arrays(Gen<Double> values) {
        return smallShapes().flatMap(s -> Gens.arrays(s, values));
    }
}
