package org.arcgrad.arcface.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Schedule values at known steps, against torch 1.13's schedulers (printed by torch, steps counted
 * as scheduler.step() calls before the optimizer step).
 */
class SchedulesTest {
    /**
     * torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=100) with its defaults:
     * pct_start 0.3, anneal_strategy "cos", div_factor 25, final_div_factor 1e4, three_phase False,
     * cycle_momentum True, base_momentum 0.85, max_momentum 0.95.
     */
    @Test
    void oneCycleIsTorchsWithItsDefaults() {
        OneCycle s = new OneCycle(0.1, 100);
        double[][] torch = {
            {0, 0.0040000000000000036, 0.95}, {1, 0.004281378056590748, 0.9497068978577179},
            {10, 0.029516394846410082, 0.9234204220349895}, {28, 0.09971862194340926, 0.850293102142282},
            {29, 0.1, 0.85}, {30, 0.09994965352845243, 0.8500503466729342}, {31, 0.09979871550490317, 0.850201285300238},
            {50, 0.0793893450575732, 0.8706107373853763}, {98, 5.07464715475788e-05, 0.9499496533270657}, {99, 4e-07, 0.95}};
        for (double[] row : torch) {
            long step = (long) row[0];
            assertEquals(row[1], s.lr(step), 1e-15, "lr at step " + step);
            assertEquals(row[2], s.momentum(step), 1e-15, "momentum at step " + step);
        }
        assertEquals(4e-07, s.lr(150), 1e-15, "past the end the final rate holds");
        assertTrue(Double.isNaN(new OneCycle(0.1, 100, false).momentum(10)), "without cycling the optimizer's momentum holds");
    }

    @Test
    void cosineIsTorchsCosineAnnealingLR() {
        Cosine s = new Cosine(0.1, 100, 0);
        double[][] torch = {{0, 0.1}, {1, 0.09997532801828658}, {25, 0.0853553390593274}, {50, 0.05000000000000004},
            {99, 2.4671981713420017e-05}, {100, 0.0}};
        for (double[] row : torch) {
            assertEquals(row[1], s.lr((long) row[0]), 1e-15, "lr at step " + (long) row[0]);
        }
    }

    @Test
    void stepDecayIsTorchsStepLR() {
        StepDecay s = new StepDecay(0.1, 30, 0.1);
        double[][] torch = {{0, 0.1}, {29, 0.1}, {30, 0.010000000000000002}, {59, 0.010000000000000002},
            {60, 0.0010000000000000002}, {95, 0.00010000000000000003}};
        for (double[] row : torch) {
            assertEquals(row[1], s.lr((long) row[0]), 1e-15, "lr at step " + (long) row[0]);
        }
    }

    /** SequentialLR([LinearLR(start_factor=0.01, total_iters=10), CosineAnnealingLR(T_max=50)], milestones=[10]). */
    @Test
    void warmUpThenCosineIsTorchsSequentialLR() {
        LinearWarmup s = new LinearWarmup(new Cosine(0.1, 50, 0), 10, 0.01);
        double[][] torch = {{0, 0.001}, {1, 0.010899999999999998}, {5, 0.05049999999999999}, {9, 0.09009999999999996},
            {10, 0.1}, {11, 0.09990133642141358}, {35, 0.049999999999999996}};
        for (double[] row : torch) {
            assertEquals(row[1], s.lr((long) row[0]), 1e-15, "lr at step " + (long) row[0]);
        }
    }
}
