package org.arcgrad.tests.property;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A generated value together with the "smaller" values the shrinker may try in its place, each
 * again a Shrinkable (a lazily built tree). Keeping the candidates next to the value, instead of
 * asking a separate shrinker later, is what lets {@link Gen#map} and {@link Gen#flatMap} keep
 * shrinking: a mapped value shrinks by mapping the shrinks of the original.
 *
 * <p>Candidates are produced lazily (a fresh stream per call), most aggressive first, because the
 * greedy shrinker takes the first candidate that still fails and never looks at the rest.
 */
public final class Shrinkable<T> {
    private final T value;
    private final Supplier<Stream<Shrinkable<T>>> shrinks;

    private Shrinkable(T value, Supplier<Stream<Shrinkable<T>>> shrinks) {
        this.value = value;
        this.shrinks = shrinks;
    }

    public static <T> Shrinkable<T> of(T value, Supplier<Stream<Shrinkable<T>>> shrinks) {
        return new Shrinkable<>(value, shrinks);
    }

    /** A value with no smaller candidates (seeds, fixed parameters). */
    public static <T> Shrinkable<T> unshrinkable(T value) {
        return new Shrinkable<>(value, Stream::empty);
    }

    /** A value whose candidates come from a value-level shrinker, applied again to each candidate. */
    public static <T> Shrinkable<T> unfold(T value, Function<? super T, Stream<T>> shrinker) {
        return new Shrinkable<>(value, () -> shrinker.apply(value).map(v -> unfold(v, shrinker)));
    }

    public T value() {
        return value;
    }

    /** Smaller candidates, most aggressive first; a fresh stream on every call. */
    public Stream<Shrinkable<T>> shrinks() {
        return shrinks.get();
    }

    public <R> Shrinkable<R> map(Function<? super T, ? extends R> f) {
        return new Shrinkable<>(f.apply(value), () -> shrinks().map(s -> s.map(f)));
    }

    /** Drops candidates (recursively) that break an invariant the generator guaranteed. */
    public Shrinkable<T> filter(Predicate<? super T> keep) {
        return new Shrinkable<>(value, () -> shrinks().filter(s -> keep.test(s.value())).map(s -> s.filter(keep)));
    }

    /** Two independent values: shrinks the first with the second fixed, then the second. */
    public static <A, B, R> Shrinkable<R> zip(Shrinkable<A> a, Shrinkable<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return new Shrinkable<>(f.apply(a.value, b.value), () -> Stream.concat(
                a.shrinks().map(sa -> zip(sa, b, f)),
                b.shrinks().map(sb -> zip(a, sb, f))));
    }

    /**
     * A fixed-length list. First tries shrinking every element at once to its first candidate
     * (for arrays that is "all values simple" in one step, which saves many single steps), then one
     * element at a time.
     */
    public static <T> Shrinkable<List<T>> list(List<Shrinkable<T>> elements) {
        List<T> values = new ArrayList<>(elements.size());
        for (Shrinkable<T> e : elements) {
            values.add(e.value());
        }
        return new Shrinkable<>(List.copyOf(values), () -> Stream.concat(allAtOnce(elements), oneAtATime(elements)));
    }

    private static <T> Stream<Shrinkable<List<T>>> allAtOnce(List<Shrinkable<T>> elements) {
        if (elements.size() < 2) {
            return Stream.empty();
        }
        List<Shrinkable<T>> firsts = new ArrayList<>(elements.size());
        boolean changed = false;
        for (Shrinkable<T> e : elements) {
            Shrinkable<T> first = e.shrinks().findFirst().orElse(null);
            firsts.add(first == null ? e : first);
            changed |= first != null;
        }
        return changed ? Stream.of(list(firsts)) : Stream.empty();
    }

    private static <T> Stream<Shrinkable<List<T>>> oneAtATime(List<Shrinkable<T>> elements) {
        return IntStream.range(0, elements.size()).boxed().flatMap(i -> elements.get(i).shrinks().map(s -> {
            List<Shrinkable<T>> copy = new ArrayList<>(elements);
            copy.set(i, s);
            return list(copy);
        }));
    }
}
