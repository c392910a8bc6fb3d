package org.arcgrad.opencl.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Untimed runs before a benchmark measures: at least a given number, then on until the JVM's JIT
 * compiler has been idle for {@value #QUIET_MILLIS} ms of runs (capped at {@value #CAP_MILLIS} ms).
 *
 * <p>Why not a fixed count: on a machine with few cores the JIT compiler's threads take a core
 * for the first seconds of a run, and PoCL's worker threads share what is left. Measured on 2
 * cores: a 256×1984×512 product took 6.4 ms for its first ten launches, then 3.2 ms once the
 * compiler went quiet (3.2 ms from the first launch under {@code -XX:TieredStopAtLevel=1}); the
 * ArcFace head at C = 10 000 measured 58.7 ms after 3 warm-up steps against 52.5 after 40, and
 * its chunked step 93 against 73. A count that suits a 0.5 s step measures a 5 ms one at half
 * speed.
 */
public final class Warmup {
    /** How long the JIT compiler must have been idle, in ms of runs, before timing starts. */
    public static final long QUIET_MILLIS = 300;
    /** The longest warm-up, in ms, whatever the compiler does (a JVM that keeps compiling). */
    public static final long CAP_MILLIS = 20_000;

    private Warmup() {
    }

    /**
     * Runs {@code step} at least {@code atLeast} times, then until the JIT compiler has been idle
     * for {@value #QUIET_MILLIS} ms of runs or {@value #CAP_MILLIS} ms have passed. Where the JVM
     * cannot report its compilation time, exactly {@code atLeast} times; {@code atLeast} = 0 asks
     * for no warm-up at all (a smoke run that times the first steps).
     *
     * @return how many times it ran
     */
    public static int run(Runnable step, int atLeast) {
        if (atLeast == 0) {
            return 0;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watched = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long quietSince = start;
        long compiled = watched ? jit.getTotalCompilationTime() : 0;
        int runs = 0;
        while (true) {
            boolean enough = runs >= atLeast;
            long now = System.nanoTime();
            if (enough && (!watched || now - quietSince >= QUIET_MILLIS * 1_000_000L || now - start >= CAP_MILLIS * 1_000_000L)) {
                return runs;
            }
            step.run();
            runs++;
            if (watched) {
                long c = jit.getTotalCompilationTime();
                if (c != compiled) {
                    compiled = c;
                    quietSince = System.nanoTime();
                }
            }
        }
    }
}
