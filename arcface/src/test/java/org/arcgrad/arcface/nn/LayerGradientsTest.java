package org.arcgrad.arcface.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.junit.jupiter.api.Test;

/**
 * Every layer's symbolic gradient (inputs and parameters) against central differences, with
 * GradCheck's torch-like bar (eps 1e-6, atol 1e-5, rtol 1e-3), through a random cotangent.
 */
class LayerGradientsTest {
    private final Random random = new Random(11);

    @Test
    void linear() {
        GradCheck.Report r = GradCheck.of((tape, a) -> new Linear("fc", 4, 3, Init.zeros(), Init.zeros())
                        .forward(a[0], new Pass(tape, Mode.TRAIN).use("fc.weight", a[1]).use("fc.bias", a[2])))
                .check(gaussian(5, 4), gaussian(3, 4), gaussian(3));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void batchNormInTrainingModeThroughTheBatchStatistics() {
        GradCheck.Report r = GradCheck.of((tape, a) -> new BatchNorm("bn", 3)
                        .forward(a[0], new Pass(tape, Mode.TRAIN).use("bn.weight", a[1]).use("bn.bias", a[2])
                                .use("bn.running_mean", tape.full(Shape.of(3), 0)).use("bn.running_var", tape.full(Shape.of(3), 1))))
                .check(gaussian(6, 3), gaussian(3), gaussian(3));
        assertTrue(r.passed(), r.toString());
    }

    /** BatchNorm2d: statistics per channel over the batch and both spatial axes, its variance reading the mean detached. */
    @Test
    void batchNormOverImagesInTrainingModeThroughTheBatchStatistics() {
        GradCheck.Report r = GradCheck.of((tape, a) -> BatchNorm.forImages("bn", 2)
                        .forward(a[0], new Pass(tape, Mode.TRAIN).use("bn.weight", a[1]).use("bn.bias", a[2])
                                .use("bn.running_mean", tape.full(Shape.of(2), 0)).use("bn.running_var", tape.full(Shape.of(2), 1))))
                .check(gaussian(3, 2, 3, 2), gaussian(2), gaussian(2));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void batchNormInInferenceMode() {
        GradCheck.Report r = GradCheck.of((tape, a) -> new BatchNorm("bn", 3)
                        .forward(a[0], new Pass(tape, Mode.EVAL).use("bn.weight", a[1]).use("bn.bias", a[2])
                                .use("bn.running_mean", a[3]).use("bn.running_var", a[4])))
                .check(gaussian(6, 3), gaussian(3), gaussian(3), gaussian(3), NDArray.uniform(Shape.of(3), 0.5, 2, random));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void preluSharedAndPerChannel() {
        for (int slopes : new int[] {1, 3}) {
            GradCheck.Report r = GradCheck.of((tape, a) -> new PRelu("act", slopes)
                            .forward(a[0], new Pass(tape, Mode.TRAIN).use("act.weight", a[1])))
                    .check(awayFromZero(4, 3), gaussian(slopes));
            assertTrue(r.passed(), slopes + " slope(s): " + r);
        }
    }

    @Test
    void dropoutWithAFixedMask() {
        NDArray mask = NDArray.of(Shape.of(4, 3), 2, 0, 2, 0, 0, 2, 2, 2, 0, 2, 0, 2);
        GradCheck.Report r = GradCheck.of((tape, a) -> new Dropout("drop", 0.5).forward(a[0], new Pass(tape, Mode.TRAIN)))
                .fixed("drop.mask", mask)
                .check(gaussian(4, 3));
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void aWholeMlpWithBatchNormAndPrelu() {
        Sequential mlp = Mlp.builder(5).hidden(4).embedding(3).activation(Mlp.Activation.PRELU).build();
        GradCheck.Report r = GradCheck.of((tape, a) -> {
                    Pass pass = new Pass(tape, Mode.TRAIN);
                    int k = 1;
                    for (ParameterSpec s : mlp.parameters()) {
                        pass.use(s.name(), s.trainable() ? a[k++] : tape.full(Shape.of(s.shape()), s.name().endsWith("var") ? 1 : 0));
                    }
                    return mlp.forward(a[0], pass);
                })
                .check(gaussian(6, 5), gaussian(4, 5), gaussian(4), gaussian(4), gaussian(4), gaussian(1),
                        gaussian(3, 4), gaussian(3), gaussian(3), gaussian(3));
        assertTrue(r.passed(), r.toString());
    }

    private NDArray gaussian(int... dims) {
        return NDArray.gaussian(Shape.of(dims), random);
    }

    /** Values at least 0.1 from 0, where PReLU's kink would spoil a central difference. */
    private NDArray awayFromZero(int... dims) {
        NDArray a = gaussian(dims);
        double[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.copySign(Math.abs(d[i]) + 0.1, d[i]);
        }
        return a;
    }
}
