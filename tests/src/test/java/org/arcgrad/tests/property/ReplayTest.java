package org.arcgrad.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A seed replays a run exactly; tries and seeds follow the system properties. */
@ExtendWith(DefaultKnobs.class)
class ReplayTest {
    private static final Gen<List<Double>> CASES = Shapes.shapes(0, 3, 6)
            .flatMap(s -> Gen.listOf(s.size(), Gens.doubles(-5, 5, 0.2, 0, 1)));

    private static List<List<Double>> record(Property.Config config) {
        List<List<Double>> seen = new ArrayList<>();
        config.run(CASES, seen::add);
        return seen;
    }

    @Test
    void theSameSeedGeneratesTheSameCasesInTheSameOrder() {
        List<List<Double>> first = record(Property.named("record").seed(20240611L));
        List<List<Double>> second = record(Property.named("record").seed(20240611L));
        assertEquals(100, first.size());
        assertEquals(first, second);
        assertNotEquals(first, record(Property.named("record").seed(20240612L)));
    }

    @Test
    void aFailingRunReplaysToTheSameTryCaseAndMessage() {
        Property.Config config = Property.named("sum of squares < 40").seed(-77L);
        Property.Check<List<Double>> check = l -> assertTrue(l.stream().mapToDouble(x -> x * x).sum() < 40);
        Property.Outcome<List<Double>> a = config.run(CASES, check);
        Property.Outcome<List<Double>> b = config.run(CASES, check);
        assertNotNull(a.failure());
        assertEquals(a.failure().attempt(), b.failure().attempt());
        assertEquals(a.failure().original(), b.failure().original());
        assertEquals(a.failure().shrunkValue(), b.failure().shrunkValue());
        assertEquals(a.failure().error().getMessage(), b.failure().error().getMessage());
    }

    @Test
    void theSeedSystemPropertyIsTheRunSeed() {
        SystemProperties.with(Seeds.SEED_PROPERTY, "0x2a", () -> {
            Property.Outcome<List<Double>> o = Property.named("seeded").run(CASES, l -> { });
            assertEquals(42L, o.seed());
            assertEquals(record(Property.named("pinned").seed(42L)), record(Property.named("from -D")));
        });
    }

    @Test
    void aPinnedSeedWinsOverTheSystemProperty() {
        SystemProperties.with(Seeds.SEED_PROPERTY, "5", () ->
                assertEquals(9L, Property.named("pinned").seed(9L).run(CASES, l -> { }).seed()));
    }

    @Test
    void withoutASeedEachRunDrawsAFreshOne() {
        long a = Property.named("fresh").run(CASES, l -> { }).seed();
        long b = Property.named("fresh").run(CASES, l -> { }).seed();
        assertNotEquals(a, b);
    }

    @Test
    void aHundredTriesByDefaultAndTheTriesPropertyOverrides() {
        assertEquals(100, Property.named("default").run(CASES, l -> { }).passed());
        assertEquals(250, Property.named("own count").tries(250).run(CASES, l -> { }).passed());
        SystemProperties.with(Property.TRIES_PROPERTY, "7", () ->
                assertEquals(7, Property.named("overridden").tries(250).run(CASES, l -> { }).passed()));
    }

    @Test
    void sizeGrowsFromZeroToTheMaximumOverARun() {
        assertEquals(0, Property.sizeFor(0, 100));
        assertEquals(Gen.MAX_SIZE, Property.sizeFor(99, 100));
        assertEquals(Gen.MAX_SIZE, Property.sizeFor(250, 100));
        assertTrue(Property.sizeFor(50, 100) > 0 && Property.sizeFor(50, 100) < Gen.MAX_SIZE);
    }
}
