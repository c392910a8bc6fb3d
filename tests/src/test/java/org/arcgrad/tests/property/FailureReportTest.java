package org.arcgrad.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a failure says, and how discards and non-assertion exceptions are treated. */
@ExtendWith(DefaultKnobs.class)
class FailureReportTest {
    @Test
    void theMessageNamesEverythingNeededToReplayAndFix() {
        AssertionError e = assertThrows(AssertionError.class, () -> Property.named("ints stay below 700").seed(31337L)
                .forAll(Gens.ints(0, 1000), x -> assertTrue(x < 700, "saw " + x)));
        String m = e.getMessage();
        assertTrue(m.contains("property \"ints stay below 700\" failed at try "), m);
        assertTrue(m.matches("(?s).*failed at try \\d+ of 100 \\(size \\d+\\).*"), m);
        assertTrue(m.contains("seed:     31337"), m);
        // the launcher is the build's (./arcgrad test ... here, set in the surefire configuration) or Maven's
        String launcher = System.getProperty(ReplayCommand.LAUNCHER_PROPERTY, ReplayCommand.DEFAULT_LAUNCHER);
        assertTrue(m.contains("replay:   " + launcher
                + " -Dtest=FailureReportTest#theMessageNamesEverythingNeededToReplayAndFix -Darcgrad.seed=31337"), m);
        // under DefaultKnobs -Darcgrad.seed cannot reach the run, and the line says so
        assertTrue(m.contains("(this test runs under DefaultKnobs, which clears -Darcgrad.seed: pin .seed(31337L) in the test"), m);
        assertTrue(m.contains("original: "), m);
        assertTrue(m.contains("shrunk:   700\n"), m);
        assertTrue(m.contains("reason:   saw 700"), m);
        assertNotNull(e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("saw 700"), e.getCause().getMessage());
    }

    @Test
    void anExceptionOtherThanAnAssertionIsAFailureNamedByItsClass() {
        AssertionError e = assertThrows(AssertionError.class, () -> Property.forAll("no exceptions", Gens.ints(0, 10), x -> {
            if (x > 3) {
                throw new IllegalStateException("x is " + x);
            }
        }));
        assertTrue(e.getMessage().contains("reason:   java.lang.IllegalStateException: x is 4"), e.getMessage());
        assertSame(IllegalStateException.class, e.getCause().getClass());
    }

    @Test
    void discardedCasesAreReplacedAndCounted() {
        Property.Outcome<Integer> o = Property.named("even only").run(Gens.ints(0, 1000), x -> {
            Property.assume(x % 2 == 0, "odd");
            assertEquals(0, x % 2);
        });
        assertEquals(null, o.failure());
        assertEquals(100, o.passed());
        assertTrue(o.discarded() > 10, o.discarded() + " discarded");
    }

    @Test
    void aPropertyThatDiscardsEverythingGivesUpLoudly() {
        AssertionError e = assertThrows(AssertionError.class, () -> Property.forAll("vacuous", Gens.ints(0, 10),
                x -> Property.assume(false, "never applies")));
        assertTrue(e.getMessage().contains("gave up"), e.getMessage());
        assertTrue(e.getMessage().contains("never applies"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {600})
    void theReplayCommandFindsParameterizedTestsToo(int bound) {
        AssertionError e = assertThrows(AssertionError.class, () -> Property.named("ints below " + bound).seed(3L)
                .forAll(Gens.ints(0, 1000), x -> assertTrue(x < bound)));
        assertTrue(e.getMessage().contains("-Dtest=FailureReportTest#theReplayCommandFindsParameterizedTestsToo "), e.getMessage());
    }

    @Test
    void withoutALauncherTheReplayLineIsMavens() {
        String saved = System.getProperty(ReplayCommand.LAUNCHER_PROPERTY);
        System.clearProperty(ReplayCommand.LAUNCHER_PROPERTY);
        try {
            assertTrue(ReplayCommand.of(5, null).startsWith("mvn test -Dtest=FailureReportTest#withoutALauncherTheReplayLineIsMavens "
                    + "-Darcgrad.seed=5"), ReplayCommand.of(5, null));
        } finally {
            if (saved != null) {
                System.setProperty(ReplayCommand.LAUNCHER_PROPERTY, saved);
            }
        }
    }
}
