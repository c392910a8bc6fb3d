package org.arcgrad.tests.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A generator of random test cases: draws a value from a {@link Random} and a size hint (0..{@link
 * #MAX_SIZE}, growing over a run so that early tries are small), and returns it as a {@link
 * Shrinkable} that knows its smaller candidates. Generators must draw only from the given Random,
 * so that a seed replays a run exactly.
 */
@FunctionalInterface
public interface Gen<T> {
    /** The largest size hint the runner passes; generators scale their ranges by size / MAX_SIZE. */
    int MAX_SIZE = 100;

    Shrinkable<T> generate(Random random, int size);

    /** A generator written as plain random code plus a value-level shrinker (expression trees use this). */
    static <T> Gen<T> of(BiFunction<Random, Integer, T> make, Function<? super T, Stream<T>> shrinker) {
        return (random, size) -> Shrinkable.unfold(make.apply(random, size), shrinker);
    }

    static <T> Gen<T> constant(T value) {
        return (random, size) -> Shrinkable.unshrinkable(value);
    }

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return (random, size) -> generate(random, size).map(f);
    }

    /**
     * A generator that depends on a generated value (values of a generated shape, say). The inner
     * generator draws from its own Random, seeded once from the outer one, so that when the outer
     * value shrinks the inner one is regenerated deterministically from the same seed.
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<R>> f) {
        return (random, size) -> {
            Shrinkable<T> outer = generate(random, size);
            long innerSeed = random.nextLong();
            return FlatMapped.bind(outer, f, innerSeed, size);
        };
    }

    /**
     * Keeps only values satisfying {@code keep}: retries generation (from the same Random, so still
     * reproducible) and drops shrink candidates that break it. Meant for rare rejections; a filter
     * that rejects most values fails loudly instead of looping.
     */
    default Gen<T> filter(String why, Predicate<? super T> keep) {
        return (random, size) -> {
            for (int attempt = 0; attempt < 1000; attempt++) {
                Shrinkable<T> s = generate(random, size);
                if (keep.test(s.value())) {
                    return s.filter(keep);
                }
            }
            throw new IllegalStateException("generator filter \"" + why + "\" rejected 1000 values in a row");
        };
    }

    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return (random, size) -> Shrinkable.zip(a.generate(random, size), b.generate(random, size), f);
    }

    /** One value from each generator, in order. */
    static <T> Gen<List<T>> sequence(List<? extends Gen<? extends T>> gens) {
        return (random, size) -> {
            List<Shrinkable<T>> parts = new ArrayList<>(gens.size());
            for (Gen<? extends T> g : gens) {
                parts.add(g.generate(random, size).<T>map(v -> v));
            }
            return Shrinkable.list(parts);
        };
    }

    /** {@code n} independent values of one generator. */
    static <T> Gen<List<T>> listOf(int n, Gen<T> element) {
        List<Gen<T>> gens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gens.add(element);
        }
        return sequence(gens);
    }

    /** Holder of flatMap's recursive shrinking, kept out of the interface's public surface. */
    final class FlatMapped {
        private FlatMapped() {
        }

        static <T, R> Shrinkable<R> bind(Shrinkable<T> outer, Function<? super T, ? extends Gen<R>> f, long seed, int size) {
            Shrinkable<R> inner = f.apply(outer.value()).generate(new Random(seed), size);
            return node(outer, inner, f, seed, size);
        }

        // Outer shrinks first (a smaller shape is worth more than simpler values), then inner ones
        // with the outer value kept.
        private static <T, R> Shrinkable<R> node(Shrinkable<T> outer, Shrinkable<R> inner,
                                                 Function<? super T, ? extends Gen<R>> f, long seed, int size) {
            return Shrinkable.of(inner.value(), () -> Stream.concat(
                    outer.shrinks().map(o -> bind(o, f, seed, size)),
                    inner.shrinks().map(i -> node(outer, i, f, seed, size))));
        }
    }
}
