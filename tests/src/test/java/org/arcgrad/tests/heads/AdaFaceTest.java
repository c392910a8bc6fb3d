package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.AdaFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.fixtures.FixtureFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AdaFace against a float64 transcription of the authors' head over two consecutive steps
 * (tools/make_adaface_fixtures.py; the running mean and std of the norms carried as state
 * parameters of the training pass; the authors' α and a fast one): logits, loss, both gradients
 * and the new statistics at fp64 rounding; the gradient against central differences with the
 * detached norms and statistics held; the device against the interpreter and the fixture (fp32
 * tolerance) under both plans.
 */
class AdaFaceTest {
    private static final FixtureFiles FILES = new FixtureFiles("/fixtures/adaface/", "tools/make_adaface_fixtures.py");
    private static final StatefulHeadFixture STEPS = new StatefulHeadFixture(FILES, Map.of(AdaFace.BATCH_MEAN, "mean", AdaFace.BATCH_STD, "std"));

    static Stream<String> cases() {
        return FILES.names().stream();
    }

    static Stream<Arguments> casesAndSteps() {
        return cases().flatMap(c -> Stream.of(1, 2).map(k -> Arguments.of(c, k)));
    }

    static Stream<Arguments> casesAndPlans() {
        return cases().flatMap(c -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(c, p)));
    }

    private static AdaFace head(String c) {
        JsonNode p = FILES.jsonTree(c);
        return new AdaFace(p.get("m").asDouble(), p.get("h").asDouble(), p.get("s").asDouble(), p.get("t_alpha").asDouble());
    }

    @ParameterizedTest(name = "{0}, step {1}")
    @MethodSource("casesAndSteps")
    void theInterpreterMatchesTheAuthorsCode(String c, int k) {
        STEPS.assertInterpreterMatches(head(c), c, k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGradientHoldsWithNormsAndStatisticsHeld(String c) {
        AdaFace head = head(c);
        NDArray labels = FILES.array(c, "labels2.npy");
        GradCheck.Report report = GradCheck.of((tape, a) -> {
            Tensor y = tape.labels("y", labels.size());
            return Functional.crossEntropy(head.logits(a[0], a[1], y, tape.input("mean", 1), tape.input("std", 1))[0], y);
        }).fixed("y", labels).fixed("mean", FILES.array(c, "mean_old2.npy")).fixed("std", FILES.array(c, "std_old2.npy"))
                .holdDetached().check(FILES.array(c, "x2.npy"), FILES.array(c, "w.npy"));
        assertTrue(report.passed(), c + ": " + report);
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("casesAndPlans")
    void theDeviceAgreesWithTheInterpreter(String c, PlanChoice plan) {
        STEPS.assertDeviceAgrees(head(c), c, plan);
    }
}
