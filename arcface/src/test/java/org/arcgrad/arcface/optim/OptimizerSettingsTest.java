package org.arcgrad.arcface.optim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The optimizers' and schedules' settings at the edges of what they accept (the edge value itself
 * on each side), what they print, and the schedules at their ends.
 */
class OptimizerSettingsTest {
    @Test
    void adamWAcceptsItsEdgesAndRefusesWhatIsPast() {
        assertDoesNotThrow(() -> new AdamW(0, 0, 1e-30, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9, 1, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(-1e-9, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9, -1e-9, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9, 0.999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9, 0.999, 1e-8, -1e-9));
        assertEquals("adamw(betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.01)", new AdamW().describe());
    }

    @Test
    void sgdAcceptsItsEdgesAndRefusesWhatIsPast() {
        assertDoesNotThrow(() -> new Sgd(0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1e-9, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.9, false, -1e-9));
        assertEquals("sgd(momentum=0.9, nesterov, weight_decay=5.0E-4)", new Sgd(0.9, true, 5e-4).describe());
        assertEquals("sgd(momentum=0.9, weight_decay=0.0)", new Sgd(0.9, false, 0).describe());
    }

    @Test
    void schedulesAcceptTheirEdgesAndRefuseWhatIsPast() {
        assertDoesNotThrow(() -> new Cosine(1e-9, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Cosine(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new Cosine(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Cosine(0.1, 10, -1e-9));
        assertDoesNotThrow(() -> new StepDecay(1e-9, 1, 1e-9));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.1, 1, 0));
        Schedule flat = Schedule.constant(0.1);
        assertDoesNotThrow(() -> new LinearWarmup(flat, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(flat, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(flat, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(flat, 5, 1.0000001));
        assertDoesNotThrow(() -> new OneCycle(1e-9, 2));
        assertThrows(IllegalArgumentException.class, () -> new OneCycle(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new OneCycle(0.1, 1));
    }

    @Test
    void schedulesPrintTheirSettings() {
        assertEquals("cosine(lr=0.1, total_steps=10, min_lr=0.001)", new Cosine(0.1, 10, 0.001).describe());
        assertEquals("step(lr=0.1, step_size=5, gamma=0.5)", new StepDecay(0.1, 5, 0.5).describe());
        assertEquals("constant(lr=0.1)", Schedule.constant(0.1).describe());
        assertEquals("onecycle(max_lr=0.1, total_steps=100, momentum 0.95→0.85→0.95)", new OneCycle(0.1, 100).describe());
        assertEquals("onecycle(max_lr=0.1, total_steps=100)", new OneCycle(0.1, 100, false).describe());
        assertEquals("warmup(3 steps from 0.25×) then constant(lr=0.1)", new LinearWarmup(Schedule.constant(0.1), 3, 0.25).describe());
    }

    @Test
    void cosineEndsAtItsMinimumAndStaysThere() {
        Cosine c = new Cosine(0.1, 10, 0.001);
        assertEquals(0.1, c.lr(0), 1e-15);
        assertEquals(0.001 + 0.099 / 2, c.lr(5), 1e-15);
        assertEquals(0.001, c.lr(10), 1e-15);
        assertEquals(0.001, c.lr(11), 0);
        assertEquals(0.001, c.lr(1000), 0);
    }

    @Test
    void warmupHandsItsMomentumToTheScheduleAfterIt() {
        OneCycle cycle = new OneCycle(0.1, 100);
        LinearWarmup w = new LinearWarmup(cycle, 5, 0.25);
        assertEquals(cycle.momentum(0), w.momentum(0), 0);
        assertEquals(cycle.momentum(0), w.momentum(5), 0);
        assertEquals(cycle.momentum(10), w.momentum(15), 0);
        assertEquals(0.025, w.lr(0) / cycle.lr(0) * 0.1, 1e-15);
    }
}
