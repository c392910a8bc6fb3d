package org.arcgrad.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Outside DefaultKnobs the seed's system property reaches the run, and the replay line carries no caveat. */
class ReplayOutsideDefaultKnobsTest {
    @Test
    void theSeedPropertyReachesTheRunAndTheLineIsPlain() {
        SystemProperties.with(Seeds.SEED_PROPERTY, "123", () -> {
            assertEquals(123L, Property.named("from -D").tries(1).run(Gens.ints(0, 3), x -> { }).seed());
            assertFalse(ReplayCommand.of(123, null).contains("which clears"), ReplayCommand.of(123, null));
        });
    }
}
