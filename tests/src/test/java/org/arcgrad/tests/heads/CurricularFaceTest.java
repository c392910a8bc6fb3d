package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.CurricularFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.fixtures.FixtureFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CurricularFace against a float64 transcription of the authors' head over two consecutive steps
 * (tools/make_curricularface_fixtures.py), the running t carried as the training pass's state
 * parameter: logits, loss, both gradients and the new t at fp64 rounding in the interpreter; the
 * gradient against central differences with t held; the device against the interpreter and the
 * fixture (fp32 tolerance) under both plans. (That a trainer carries, checkpoints and resumes t: ResumeTest.)
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

    private static final StatefulHeadFixture STEPS = new StatefulHeadFixture(FILES, Map.of(CurricularFace.T, "t"));

    @ParameterizedTest(name = "{0}, step {1}")
    @MethodSource("casesAndSteps")
    void theInterpreterMatchesTheAuthorsCode(String c, int k) {
        STEPS.assertInterpreterMatches(head(c), c, k);
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
        STEPS.assertDeviceAgrees(head(c), c, plan);
    }
}
