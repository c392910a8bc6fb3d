package org.arcgrad.opencl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void zeroAsksForNoWarmUp() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(0, Warmup.run(calls::incrementAndGet, 0));
        assertEquals(0, calls.get());
    }

    @Test
    void runsAtLeastTheCountAndReportsEveryRun() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        int runs = Warmup.run(calls::incrementAndGet, 5);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(calls.get(), runs);
        assertTrue(runs >= 5, runs + " runs");
        // the JVM of this test can report compilation time, so the warm-up waits for a quiet compiler
        assertTrue(millis >= Warmup.QUIET_MILLIS, millis + " ms");
        assertTrue(millis < Warmup.CAP_MILLIS + 1000, millis + " ms");
    }
}
