package org.arcgrad.tests.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two published losses written in the DSL without workarounds, each held to an fp64 computation by
 * loops that shares no code with it, to its gradient (detach-aware where the loss detaches), and
 * on the device to the interpreter under both plans: Circle loss (integer label equality, triu,
 * detached α, softplus at γ = 256) and CurricularFace (a running t without gradient).
 */
class CustomLossesTest {
    private static final int[] LABELS = {0, 1, 0, 2, 1, 1, 3, 0};
    private static final int N = LABELS.length;
    private static final int D = 6;
    private static final int C = 4;

    private static NDArray labels() {
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            y[i] = LABELS[i];
        }
        return NDArray.of(Shape.of(N), y);
    }

    private static double[][] rows(NDArray a) {
        int r = a.shape().dim(0);
        int c = a.shape().dim(1);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(a.data(), i * c, out[i], 0, c);
        }
        return out;
    }

    private static NDArray features(long seed) {
        return NDArray.gaussian(Shape.of(N, D), new Random(seed));
    }

    // ---- Circle loss --------------------------------------------------------------------------

    @Test
    void circleLossMatchesItsDirectComputation() {
        for (double gamma : new double[] {1, 32, 256}) {
            NDArray x = features(7);
            Tape tape = new Tape();
            Tensor xt = tape.input("x", N, D);
            Tensor y = tape.labels("y", N);
            double got = Interpreter.run(Map.of(xt, x, y, labels()), CircleLoss.of(xt, y, 0.25, gamma))[0].item();
            double want = CircleLoss.direct(rows(x), LABELS, 0.25, gamma);
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), "gamma " + gamma);
        }
    }

    @Test
    void circleLossGradientHoldsWithItsWeightsDetached() {
        GradCheck check = GradCheck.of((tape, a) -> CircleLoss.of(a[0], tape.labels("y", N), 0.25, 32)).fixed("y", labels());
        GradCheck.Report held = check.holdDetached().check(features(8));
        assertTrue(held.passed(), held.toString());
        GradCheck.Report plain = check.check(features(8));
        assertFalse(plain.passed(), "central differences move the detached α: " + plain);
        assertTrue(plain.toString().contains("holdDetached()"), plain.toString());
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void circleLossAtGamma256RunsOnTheDevice(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", N, D);
        Tensor y = tape.labels("y", N);
        Tensor loss = CircleLoss.of(x, y, 0.25, 256);
        Map<Tensor, NDArray> feeds = new HashMap<>(Map.of(x, features(9), y, labels()));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(loss, tape.grad(loss, x)[0]), feeds, plan, new Random(1),
                k -> k == 0 ? "circle loss" : "its gradient", tape.dump());
    }

    // ---- CurricularFace -----------------------------------------------------------------------

    private static NDArray weights() {
        return NDArray.gaussian(Shape.of(C, D), new Random(11));
    }

    @Test
    void curricularFaceMatchesItsDirectComputation() {
        for (double tOld : new double[] {0, 0.3, 0.9}) {
            NDArray x = features(12);
            Tape tape = new Tape();
            Tensor xt = tape.input("x", N, D);
            Tensor w = tape.param("w", C, D);
            Tensor y = tape.labels("y", N);
            Tensor t = tape.input("t", 1);
            Tensor[] out = CurricularFace.of(xt, w, y, t);
            NDArray[] got = Interpreter.run(Map.of(xt, x, w, weights(), y, labels(), t, NDArray.of(Shape.of(1), tOld)), out);
            double want = CurricularFace.direct(rows(x), rows(weights()), LABELS, tOld);
            assertEquals(want, got[0].item(), 1e-12 * Math.max(1, Math.abs(want)), "t_old " + tOld);
        }
    }

    @Test
    void curricularFaceGradientHoldsWithTheRunningTHeld() {
        GradCheck check = GradCheck.of((tape, a) -> CurricularFace.of(a[0], a[1], tape.labels("y", N), tape.input("t", 1))[0])
                .fixed("y", labels()).fixed("t", NDArray.of(Shape.of(1), 0.4));
        GradCheck.Report held = check.holdDetached().check(features(13), weights());
        assertTrue(held.passed(), held.toString());
        GradCheck.Report plain = check.check(features(13), weights());
        assertFalse(plain.passed(), "central differences move t: " + plain);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void curricularFaceRunsOnTheDevice(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", N, D);
        Tensor w = tape.param("w", C, D);
        Tensor y = tape.labels("y", N);
        Tensor t = tape.input("t", 1);
        Tensor[] out = CurricularFace.of(x, w, y, t);
        Tensor[] grads = tape.grad(out[0], x, w);
        Map<Tensor, NDArray> feeds = new HashMap<>(Map.of(x, features(14), w, weights(), y, labels(), t, NDArray.of(Shape.of(1), 0.4)));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(out[0], out[1], grads[0], grads[1]), feeds, plan, new Random(2),
                k -> List.of("loss", "t", "grad x", "grad w").get(k), tape.dump());
    }
}
