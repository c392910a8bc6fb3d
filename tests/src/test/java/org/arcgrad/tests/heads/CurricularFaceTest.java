package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.CurricularFace;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.fixtures.FixtureFiles;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CurricularFace against a float64 transcription of the authors' head over two consecutive steps
 * (tools/make_curricularface_fixtures.py), the running t carried as the training pass's state
 * parameter: logits, loss, both gradients and the new t at fp64 rounding in the interpreter; the
 * gradient against central differences with t held; the device against the interpreter under both
 * plans. (That a trainer carries, checkpoints and resumes t: ResumeTest.)
 */
class CurricularFaceTest {
    private static final FixtureFiles FILES = new FixtureFiles("/fixtures/curricularface/", "tools/make_curricularface_fixtures.py");

    static Stream<Arguments> casesAndSteps() {
        return FILES.names().stream().flatMap(c -> Stream.of(1, 2).map(k -> Arguments.of(c, k)));
    }

    static Stream<Arguments> casesAndPlans() {
        return FILES.names().stream().flatMap(c -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(c, p)));
    }

    private static CurricularFace head(String c) {
        JsonNode p = FILES.jsonTree(c);
        return new CurricularFace(p.get("s").asDouble(), p.get("m").asDouble());
    }

    /** The head in a training pass: x, W and the state t as PARAMs, the loss, its gradients and the reported new t. */
    private record Step(Tape tape, Tensor x, Tensor w, Tensor y, Tensor t, Tensor logits, Tensor loss, Tensor[] grads, Tensor tNew) {
        static Step of(CurricularFace head, NDArray x, NDArray w) {
            Tape tape = new Tape();
            Pass pass = new Pass(tape, Mode.TRAIN);
            Tensor xt = tape.param("x", x.shape().dims());
            Tensor wt = tape.param("w", w.shape().dims());
            Tensor y = tape.labels("y", x.shape().dim(0));
            Tensor logits = head.logits(xt, wt, y, pass);
            Tensor loss = head.loss(logits, xt, y);
            return new Step(tape, xt, wt, y, pass.node(CurricularFace.T), logits, loss, tape.grad(loss, xt, wt),
                    pass.stateUpdates().get(CurricularFace.T));
        }

        Map<Tensor, NDArray> feeds(String c, int k) {
            return Map.of(x, FILES.array(c, "x" + k + ".npy"), w, FILES.array(c, "w.npy"), y, FILES.array(c, "labels" + k + ".npy"), t,
                    FILES.array(c, "t_old" + k + ".npy"));
        }
    }

    private static void assertClose(NDArray want, NDArray got, double relative, String what) {
        double scale = 1e-12;
        for (double v : want.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.data()[i], got.data()[i], relative * scale, what + " element " + i);
        }
    }

    @ParameterizedTest(name = "{0}, step {1}")
    @MethodSource("casesAndSteps")
    void theInterpreterMatchesTheAuthorsCode(String c, int k) {
        Step s = Step.of(head(c), FILES.array(c, "x" + k + ".npy"), FILES.array(c, "w.npy"));
        NDArray[] got = Interpreter.run(s.feeds(c, k), s.logits(), s.loss(), s.grads()[0], s.grads()[1], s.tNew());
        String at = c + " step " + k;
        assertClose(FILES.array(c, "logits" + k + ".npy"), got[0], 1e-12, at + " logits");
        double want = FILES.array(c, "loss" + k + ".npy").data()[0];
        assertEquals(want, got[1].item(), 1e-12 * Math.abs(want), at + " loss");
        assertClose(FILES.array(c, "grad_x" + k + ".npy"), got[2], 1e-10, at + " grad x");
        assertClose(FILES.array(c, "grad_w" + k + ".npy"), got[3], 1e-10, at + " grad W");
        assertEquals(FILES.array(c, "t" + k + ".npy").data()[0], got[4].data()[0], 1e-15, at + " new t");
    }

    static Stream<String> cases() {
        return FILES.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGradientHoldsWithTHeld(String c) {
        CurricularFace head = head(c);
        NDArray labels = FILES.array(c, "labels2.npy");
        GradCheck.Report report = GradCheck.of((tape, a) -> {
            Tensor y = tape.labels("y", labels.size());
            return Functional.crossEntropy(head.logits(a[0], a[1], y, tape.input("t", 1))[0], y);
        }).fixed("y", labels).fixed("t", FILES.array(c, "t_old2.npy")).holdDetached().check(FILES.array(c, "x2.npy"), FILES.array(c, "w.npy"));
        assertTrue(report.passed(), c + ": " + report);
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("casesAndPlans")
    void theDeviceAgreesWithTheInterpreter(String c, PlanChoice plan) {
        Step s = Step.of(head(c), FILES.array(c, "x2.npy"), FILES.array(c, "w.npy"));
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(s.logits(), s.loss(), s.grads()[0], s.grads()[1], s.tNew()), s.feeds(c, 2),
                plan, new Random(6), k -> List.of("logits", "loss", "grad x", "grad W", "new t").get(k), s.tape().dump());
    }
}
