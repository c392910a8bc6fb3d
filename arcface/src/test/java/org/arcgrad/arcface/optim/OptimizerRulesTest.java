package org.arcgrad.arcface.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The update rules against torch 1.13 (fp64): the same parameter and gradients through
 * torch.optim.SGD / AdamW, three steps; the expected values were printed by torch. Our updates run
 * on the fp64 interpreter, so they agree to rounding.
 */
class OptimizerRulesTest {
    private static final double[] P0 = {0.5, -1.0, 2.0};
    private static final double[][] GRADS = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.05}, {0.2, 0.2, -0.1}};

    @Test
    void sgdWithNesterovMomentumAndWeightDecayIsTorchs() {
        // torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
        check(new double[][] {{0.4809525, -0.961905, 1.94281}, {0.5487865595125, -1.040573119025, 1.90874443305},
                {0.535806721213096, -1.104318857426193, 1.90149151852386}},
                UpdateSteps.run(new Sgd(0.9, true, 5e-4), P0, GRADS, Schedule.constant(0.1)));
    }

    @Test
    void sgdWithMomentumIsTorchs() {
        // torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)
        check(new double[][] {{0.489975, -0.97995, 1.9699}, {0.52092800125, -1.0118560025, 1.937711505},
                {0.528759655974938, -1.060520811949875, 1.91864497392475}},
                UpdateSteps.run(new Sgd(0.9, false, 5e-4), P0, GRADS, Schedule.constant(0.1)));
    }

    @Test
    void plainSgdKeepsNoBuffer() {
        // torch.optim.SGD(lr=0.1, weight_decay=5e-4)
        Sgd sgd = new Sgd(0, false, 5e-4);
        assertEquals(List.of(), sgd.state(ParameterSpec.trained("p", Init.zeros(), 3)));
        check(new double[][] {{0.489975, -0.97995, 1.9699}, {0.52995050125, -1.0299010025, 1.964801505},
                {0.509924003724938, -1.049849507449875, 1.97470326492475}},
                UpdateSteps.run(sgd, P0, GRADS, Schedule.constant(0.1)));
    }

    @Test
    void adamWIsTorchs() {
        // torch.optim.AdamW(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
        check(new double[][] {{0.489950001, -0.9899000005, 1.989800000333333}, {0.495496040748413, -0.994223163021673, 1.981767747215027},
                {0.496548227742252, -0.999553170496467, 1.977815029643518}},
                UpdateSteps.run(new AdamW(0.9, 0.999, 1e-8, 0.01), P0, GRADS, Schedule.constant(0.01)));
        // weight_decay=0: Adam's step alone
        check(new double[][] {{0.490000001, -0.9900000005, 1.990000000333333}, {0.495595035748513, -0.994422153021723, 1.982166727215061},
                {0.496696772346427, -0.999851582812819, 1.978412186418273}},
                UpdateSteps.run(new AdamW(0.9, 0.999, 1e-8, 0), P0, GRADS, Schedule.constant(0.01)));
    }

    @Test
    void aCycledMomentumReplacesTheConfiguredOne() {
        Hyper cycled = new Hyper(0, 0.004, 0.95);
        assertEquals(0.95, new Sgd(0.9, true, 5e-4).scalarValues(cycled).get(StepScalars.MOMENTUM));
        assertEquals(0.9, new Sgd(0.9, true, 5e-4).scalarValues(new Hyper(0, 0.004, Double.NaN)).get(StepScalars.MOMENTUM));
        // AdamW: β1 cycled, and its bias correction uses the current β1 (torch: 1 - beta1 ** step)
        assertEquals(0.004 / (1 - 0.95), new AdamW().scalarValues(cycled).get(AdamW.STEP_SIZE), 1e-15);
    }

    @Test
    void nesterovNeedsMomentum() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0, true, 0));
    }

    private static void check(double[][] torch, double[][] ours) {
        for (int t = 0; t < torch.length; t++) {
            assertArrayEquals(torch[t], ours[t], 1e-12, "step " + (t + 1));
        }
    }
}
