package org.arcgrad.tests.property;

import java.util.Random;

/**
 * Runs a property: "for all values of this generator, this check passes".
 *
 * <pre>{@code
 * Property.forAll("exp matches finite differences", cases, c -> assertGradientsMatch(c));
 * Property.named("...").tries(500).seed(42).forAll(gen, check);   // pinned seed: replay in code
 * }</pre>
 *
 * <p>Each run has one seed (printed on failure; -Darcgrad.seed=… or {@link Config#seed} replays it)
 * and {@value #DEFAULT_TRIES} tries unless -Darcgrad.tries=… or {@link Config#tries} says otherwise
 * (the system property wins, so CI or a person can turn every property up at once). The size hint
 * grows from 0 to {@link Gen#MAX_SIZE} over the tries. A failing case is shrunk greedily and
 * reported by an AssertionError carrying the seed, the replay command, the try, the original and
 * the shrunk case, and the reason.
 */
public final class Property {
    public static final String TRIES_PROPERTY = "arcgrad.tries";
    public static final int DEFAULT_TRIES = 100;
    /** A run gives up after this many discarded cases per try asked for: a property that rarely applies tests little. */
    public static final int MAX_DISCARD_RATIO = 5;
    /** Shrinking stops after this many accepted candidates … */
    public static final int DEFAULT_SHRINK_STEPS = 200;
    /** … or this many evaluated ones (each runs the check: a gradient check costs milliseconds). */
    public static final int DEFAULT_SHRINK_TRIALS = 1000;

    private Property() {
    }

    /** The check of one case: returns normally to pass, throws (an AssertionError, usually) to fail. */
    @FunctionalInterface
    public interface Check<T> {
        void verify(T value) throws Exception;
    }

    public static <T> void forAll(String name, Gen<T> gen, Check<? super T> check) {
        named(name).forAll(gen, check);
    }

    public static Config named(String name) {
        return new Config(name, DEFAULT_TRIES, null, DEFAULT_SHRINK_STEPS, DEFAULT_SHRINK_TRIALS);
    }

    /** Discards the current case (the runner draws another) unless {@code condition} holds. */
    public static void assume(boolean condition, String why) {
        if (!condition) {
            throw new Discarded(why);
        }
    }

    /** Settings of one property; immutable, each setter returns a copy. */
    public static final class Config {
        private final String name;
        private final int tries;
        private final Long seed;
        private final int maxShrinkSteps;
        private final int maxShrinkTrials;

        private Config(String name, int tries, Long seed, int maxShrinkSteps, int maxShrinkTrials) {
            this.name = name;
            this.tries = tries;
            this.seed = seed;
            this.maxShrinkSteps = maxShrinkSteps;
            this.maxShrinkTrials = maxShrinkTrials;
        }

        /** This property's try count when -Darcgrad.tries is not given. */
        public Config tries(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("tries must be at least 1, got " + n);
            }
            return new Config(name, n, seed, maxShrinkSteps, maxShrinkTrials);
        }

        /** Pins the seed (replays a reported failure from code); wins over -Darcgrad.seed. */
        public Config seed(long s) {
            return new Config(name, tries, s, maxShrinkSteps, maxShrinkTrials);
        }

        /** Bounds shrinking: at most {@code steps} accepted candidates and {@code trials} evaluated ones. */
        public Config shrinking(int steps, int trials) {
            return new Config(name, tries, seed, steps, trials);
        }

        /** Runs the property and throws the failure report, if any. */
        public <T> void forAll(Gen<T> gen, Check<? super T> check) {
            Outcome<T> o = run(gen, check);
            if (o.failure() != null) {
                throw o.failure().error();
            }
        }

        /** Runs the property and returns what happened, without throwing (the harness's own tests inspect it). */
        public <T> Outcome<T> run(Gen<T> gen, Check<? super T> check) {
            String triesOverride = System.getProperty(TRIES_PROPERTY);
            int n = triesOverride == null || triesOverride.isBlank() ? tries : parseTries(triesOverride);
            long runSeed = Seeds.resolve(seed);
            int passed = 0;
            int discarded = 0;
            for (int attempt = 0; passed < n; attempt++) {
                int size = sizeFor(attempt, n);
                Shrinkable<T> value = generate(gen, runSeed, attempt, size);
                Throwable t = evaluate(check, value.value());
                if (t == null) {
                    passed++;
                } else if (t instanceof Discarded) {
                    if (++discarded > MAX_DISCARD_RATIO * n) {
                        AssertionError e = new AssertionError("property \"" + name + "\" gave up: " + discarded
                                + " cases discarded before " + n + " passed (last reason: " + t.getMessage() + "); seed "
                                + runSeed + ", replay: " + ReplayCommand.of(runSeed, triesOverride));
                        return new Outcome<>(name, runSeed, n, passed, discarded, new Failure<>(attempt, size, null, null, null, e));
                    }
                } else {
                    Shrunk<T> s = Shrinker.shrink(value, t, check, maxShrinkSteps, maxShrinkTrials);
                    AssertionError e = FailureReport.error(name, runSeed, ReplayCommand.of(runSeed, triesOverride),
                            attempt, n, size, value.value(), t, s);
                    return new Outcome<>(name, runSeed, n, passed, discarded, new Failure<>(attempt, size, value.value(), t, s, e));
                }
            }
            return new Outcome<>(name, runSeed, n, passed, discarded, null);
        }

        private <T> Shrinkable<T> generate(Gen<T> gen, long runSeed, int attempt, int size) {
            try {
                return gen.generate(new Random(Seeds.forTry(runSeed, attempt)), size);
            } catch (RuntimeException e) {
                throw new IllegalStateException("property \"" + name + "\": the generator itself failed at try " + (attempt + 1)
                        + " (seed " + runSeed + "): " + e.getMessage(), e);
            }
        }
    }

    /** Result of a run; {@code failure} is null when every try passed. */
    public record Outcome<T>(String name, long seed, int tries, int passed, int discarded, Failure<T> failure) {
    }

    /** A failed try: the case as generated, the shrunk case and the error the runner throws. */
    public record Failure<T>(int attempt, int size, T original, Throwable originalReason, Shrunk<T> shrunk,
                             AssertionError error) {
        public T shrunkValue() {
            return shrunk == null ? null : shrunk.value();
        }
    }

    /** Size hint of a try: grows linearly from 0 to MAX_SIZE over the run, then stays there. */
    static int sizeFor(int attempt, int tries) {
        if (tries <= 1) {
            return Gen.MAX_SIZE;
        }
        return (int) Math.min(Gen.MAX_SIZE, (long) attempt * Gen.MAX_SIZE / (tries - 1));
    }

    /** Runs one check; null when it passed, else what it threw. VM errors (out of memory) are not a verdict. */
    static <T> Throwable evaluate(Check<? super T> check, T value) {
        try {
            check.verify(value);
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return t;
        }
    }

    private static int parseTries(String s) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + TRIES_PROPERTY + "=" + s + " is not a positive integer");
    }
}
