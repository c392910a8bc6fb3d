package org.arcgrad.tests.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.pairs.PairLoss;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pair losses (circle, multi-similarity with its mining, contrastive, batch-hard triplet)
 * against float64 transcriptions of their published code on every fixture case (P×K batches, a
 * label with one sample, a batch of one label, the papers' face settings, an exact duplicate): loss and gradient at
 * fp64 rounding in the interpreter; the gradient against central differences with the detached
 * weights and mining held; and the device against the interpreter, and against the fixtures at fp32
 * tolerances, under both kernel plans. (An
 * exact duplicate pair, the authors' multi-similarity code drops as it drops the anchor itself, is
 * a case for the similarity losses only: a distance's gradient is singular at 0.)
 */
class PairLossesTest {
    static Stream<Arguments> casesAndLosses() {
        return PairLossFixture.cases().stream().flatMap(c -> PairLossFixture.load(c).lossNames().stream().map(l -> Arguments.of(c, l)));
    }

    static Stream<Arguments> lossesAndPlans() {
        return Stream.of("pk_4x3_d8", "face_settings").flatMap(c -> PairLossFixture.LOSSES.stream()
                .flatMap(l -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(c, l, p))));
    }

    private record Built(Tape tape, Tensor x, Tensor y, Tensor loss, Tensor grad) {
        static Built of(PairLoss loss, int n, int d, boolean param) {
            Tape tape = new Tape();
            Tensor x = param ? tape.param("x", n, d) : tape.input("x", n, d);
            Tensor y = tape.labels("y", n);
            Tensor l = loss.loss(x, y);
            return new Built(tape, x, y, l, tape.grad(l, x)[0]);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("casesAndLosses")
    void theInterpreterMatchesThePublishedCode(String name, String lossName) {
        PairLossFixture f = PairLossFixture.load(name);
        Built b = Built.of(f.loss(lossName), f.n(), f.x().shape().dim(1), true);
        NDArray[] got = Interpreter.run(Map.of(b.x(), f.x(), b.y(), f.labels()), b.loss(), b.grad());
        double want = f.expectedLoss(lossName);
        assertEquals(want, got[0].item(), 1e-12 * Math.max(1, Math.abs(want)), name + ", " + lossName + ": loss");
        double[] wantGrad = f.expectedGradX(lossName);
        double scale = 1e-12;
        for (double g : wantGrad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < wantGrad.length; i++) {
            assertEquals(wantGrad[i], got[1].data()[i], 1e-10 * scale, name + ", " + lossName + ": grad x element " + i);
        }
    }

    static Stream<String> losses() {
        return PairLossFixture.LOSSES.stream();
    }

    /** On one case per loss: the fixtures above hold the others to torch's gradient. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void theGradientHoldsAgainstCentralDifferencesWithWeightsAndMiningHeld(String lossName) {
        PairLossFixture f = PairLossFixture.load("pk_4x3_d8");
        PairLoss loss = f.loss(lossName);
        GradCheck.Report report = GradCheck.of((tape, a) -> loss.loss(a[0], tape.labels("y", f.n()))).fixed("y", f.labels())
                .holdDetached().check(f.x());
        assertTrue(report.passed(), lossName + ": " + report);
    }

    /**
     * The device in fp32 against the published code's fp64 values directly: loss within
     * {@value #FP32_LOSS} of its magnitude (at least 1), each gradient element within
     * {@value #FP32_GRAD} of the gradient's largest. Measured worst with PoCL, both plans: 1.0e-7
     * (contrastive's loss) and 6.4e-6 (triplet's gradient at the face settings).
     */
    @ParameterizedTest(name = "{0}, {1}, {2} plan")
    @MethodSource("lossesAndPlans")
    void theDeviceMatchesThePublishedCodeAtFp32Tolerance(String name, String lossName, PlanChoice plan) {
        PairLossFixture f = PairLossFixture.load(name);
        Built b = Built.of(f.loss(lossName), f.n(), f.x().shape().dim(1), true);
        NDArray[] got = DeviceComparison.deviceValues(List.of(b.loss(), b.grad()), Map.of(b.x(), f.x(), b.y(), f.labels()), plan);
        double want = f.expectedLoss(lossName);
        assertEquals(want, got[0].item(), FP32_LOSS * Math.max(1, Math.abs(want)), name + ", " + lossName + ": loss");
        double[] wantGrad = f.expectedGradX(lossName);
        double scale = 1e-12;
        for (double g : wantGrad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < wantGrad.length; i++) {
            assertEquals(wantGrad[i], got[1].data()[i], FP32_GRAD * scale, name + ", " + lossName + ": grad x element " + i);
        }
    }

    /** fp32 tolerances of {@link #theDeviceMatchesThePublishedCodeAtFp32Tolerance}. */
    static final double FP32_LOSS = 1e-5;
    static final double FP32_GRAD = 1e-4;

    @ParameterizedTest(name = "{0}, {1}, {2} plan")
    @MethodSource("lossesAndPlans")
    void theDeviceAgreesWithTheInterpreter(String name, String lossName, PlanChoice plan) {
        PairLossFixture f = PairLossFixture.load(name);
        Built b = Built.of(f.loss(lossName), f.n(), f.x().shape().dim(1), true);
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(b.loss(), b.grad()), Map.of(b.x(), f.x(), b.y(), f.labels()), plan,
                new Random(3), k -> lossName + (k == 0 ? " loss" : " grad x"), b.tape().dump());
    }
}
