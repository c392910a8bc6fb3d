package org.arcgrad.tests.property;

import java.security.SecureRandom;

/**
 * Where a run's seed comes from, and how each try's seed is derived from it. A try's Random depends
 * only on (run seed, try index), so giving the run seed back replays every try, including the
 * failing one, without replaying anything else of the JVM's state.
 */
final class Seeds {
    /** System property that fixes the seed of every property in the run (the replay knob). */
    static final String SEED_PROPERTY = "arcgrad.seed";

    private static final SecureRandom FRESH = new SecureRandom();

    private Seeds() {
    }

    /** The explicit seed if the property pinned one, else -Darcgrad.seed, else a fresh random seed. */
    static long resolve(Long pinned) {
        if (pinned != null) {
            return pinned;
        }
        String given = System.getProperty(SEED_PROPERTY);
        if (given != null && !given.isBlank()) {
            try {
                return Long.decode(given.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + given + " is not a long (decimal or 0x hex)", e);
            }
        }
        return FRESH.nextLong();
    }

    /** Seed of one try: SplitMix64's finaliser over (run seed, index), so neighbouring tries are unrelated. */
    static long forTry(long runSeed, int index) {
        long z = runSeed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
