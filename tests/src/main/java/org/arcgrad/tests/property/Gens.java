package org.arcgrad.tests.property;

import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;

/** The primitive generators the properties need, each with a shrinker that moves toward a "simple" value. */
public final class Gens {
    private Gens() {
    }

    /** Integers uniform in [lo, hi]; shrink toward the value nearest 0 in the range. */
    public static Gen<Integer> ints(int lo, int hi) {
        check(lo <= hi, "ints: lo " + lo + " > hi " + hi);
        return (random, size) -> intShrinkable(lo + random.nextInt(hi - lo + 1), target(lo, hi));
    }

    /**
     * Integers uniform in [lo, lo + (hi − lo)·size/MAX_SIZE], so that early tries are small and the
     * last ones reach hi.
     */
    public static Gen<Integer> intsSized(int lo, int hi) {
        check(lo <= hi, "intsSized: lo " + lo + " > hi " + hi);
        return (random, size) -> {
            int top = lo + (int) Math.round((hi - lo) * (double) size / Gen.MAX_SIZE);
            return intShrinkable(lo + random.nextInt(top - lo + 1), target(lo, hi));
        };
    }

    /** Seeds for values a property derives itself (cotangents, directions): never shrunk, to keep the case intact. */
    public static Gen<Long> seeds() {
        return (random, size) -> Shrinkable.unshrinkable(random.nextLong());
    }

    /** True with probability {@code pTrue}; true shrinks to false. */
    public static Gen<Boolean> booleans(double pTrue) {
        return (random, size) -> {
            boolean b = random.nextDouble() < pTrue;
            return b ? Shrinkable.of(true, () -> Stream.of(Shrinkable.unshrinkable(false))) : Shrinkable.unshrinkable(false);
        };
    }

    /** Doubles uniform in [lo, hi]. */
    public static Gen<Double> doubles(double lo, double hi) {
        return doubles(lo, hi, 0);
    }

    /**
     * Doubles uniform in [lo, hi], except that with probability {@code edgeProbability} the value is
     * one of {@code edges}, chosen uniformly: uniform draws almost never hit 0, ±1 or a bound
     * exactly, and those are where gradient rules go wrong. Shrinks toward the value of [lo, hi]
     * nearest 0, through rounder values.
     */
    public static Gen<Double> doubles(double lo, double hi, double edgeProbability, double... edges) {
        check(lo <= hi, "doubles: lo " + lo + " > hi " + hi);
        for (double e : edges) {
            check(e >= lo && e <= hi, "doubles: edge " + e + " outside [" + lo + ", " + hi + "]");
        }
        check(edges.length > 0 || edgeProbability == 0, "doubles: edge probability without edges");
        double[] own = edges.clone();
        double target = lo > 0 ? lo : (hi < 0 ? hi : 0.0);
        return (random, size) -> {
            double v = own.length > 0 && random.nextDouble() < edgeProbability
                    ? own[random.nextInt(own.length)]
                    : lo + (hi - lo) * random.nextDouble();
            return Shrinkable.unfold(Math.min(hi, Math.max(lo, v)), x -> shrinkDouble(x, target, lo, hi));
        };
    }

    /** One of the given values, uniformly; shrinks toward the earlier ones (list the simplest first). */
    @SafeVarargs
    public static <T> Gen<T> elements(T... values) {
        check(values.length > 0, "elements: nothing to choose from");
        List<T> list = new java.util.ArrayList<>(values.length);
        // copied element by element, so that the varargs array never escapes (javac's varargs lint)
        for (T v : values) {
            list.add(v);
        }
        return ints(0, list.size() - 1).map(list::get);
    }

    /** A value from one of the given generators, chosen uniformly; shrinks toward the earlier generators. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> list = new java.util.ArrayList<>(gens.length);
        for (Gen<? extends T> g : gens) {
            list.add(g);
        }
        return oneOf(list);
    }

    /** {@link #oneOf(Gen[])} for a list of generators. */
    public static <T> Gen<T> oneOf(List<? extends Gen<? extends T>> gens) {
        check(!gens.isEmpty(), "oneOf: no generators");
        List<Gen<? extends T>> list = List.copyOf(gens);
        return ints(0, list.size() - 1).flatMap(i -> (random, size) -> list.get(i).generate(random, size).<T>map(v -> v));
    }

    /** An array of the given shape, each element drawn from {@code element}. */
    public static Gen<NDArray> arrays(Shape shape, Gen<Double> element) {
        return Gen.listOf(shape.size(), element).map(list -> {
            double[] d = new double[list.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = list.get(i);
            }
            return NDArray.of(shape, d);
        });
    }

    /** Integer-valued array (labels) of the given shape, values in [0, classes), with 0 and classes − 1 mixed in. */
    public static Gen<NDArray> labels(Shape shape, int classes, double edgeProbability) {
        check(classes >= 1, "labels: need at least one class");
        Gen<Double> label = (random, size) -> {
            int v = random.nextDouble() < edgeProbability
                    ? (random.nextBoolean() ? 0 : classes - 1)
                    : random.nextInt(classes);
            return intShrinkable(v, 0).map(Integer::doubleValue);
        };
        return arrays(shape, label);
    }

    private static Shrinkable<Integer> intShrinkable(int value, int target) {
        return Shrinkable.unfold(value, v -> shrinkInt(v, target));
    }

    /** target, then halving the distance: v − d/2, v − d/4, …, v ∓ 1. Finds the exact boundary of a monotone failure. */
    static Stream<Integer> shrinkInt(int v, int target) {
        if (v == target) {
            return Stream.empty();
        }
        long d = (long) v - target;
        Stream.Builder<Integer> b = Stream.builder();
        b.add(target);
        for (long step = d / 2; step != 0; step /= 2) {
            b.add((int) (v - step));
        }
        if (Math.abs(d) > 1) {
            b.add(v - Long.signum(d));
        }
        return b.build().distinct();
    }

    /**
     * target, the nearest integer, fewer decimals, then v − d/2, v − d/4, … v − d/256 (d = v − target),
     * so that a failure with a boundary between target and v is approached from both far and near;
     * all inside [lo, hi] and strictly closer to target.
     */
    static Stream<Double> shrinkDouble(double v, double target, double lo, double hi) {
        if (v == target || !Double.isFinite(v)) {
            return Stream.empty();
        }
        double d = v - target;
        double[] c = {target, Math.rint(v), Math.rint(v * 10) / 10, Math.rint(v * 1000) / 1000,
            v - d / 2, v - d / 4, v - d / 8, v - d / 16, v - d / 64, v - d / 256};
        return DoubleStream.of(c)
                .filter(x -> x >= lo && x <= hi && x != v && Math.abs(x - target) < Math.abs(v - target))
                .distinct().boxed();
    }

    private static int target(int lo, int hi) {
        return lo > 0 ? lo : (hi < 0 ? hi : 0);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** For messages: the values of a small array, all of them (a case must be readable to be fixed). */
    public static String describe(NDArray a) {
        double[] d = a.data();
        if (d.length <= 64) {
            return a.shape() + " " + Arrays.toString(d);
        }
        return a.shape() + " " + Arrays.toString(Arrays.copyOf(d, 64)).replace("]", ", ...]");
    }
}
