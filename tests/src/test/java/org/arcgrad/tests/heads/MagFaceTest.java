package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.MagFace;
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
 * MagFace against a float64 transcription of the authors' MagLinear and MagLoss
 * (tools/make_magface_fixtures.py: their settings with norms on both sides of the clamp, the hard
 * margin, bounds for batch-normalised embeddings): logits, loss (cross-entropy plus λ_g times the
 * norm regulariser) and both gradients at fp64 rounding in the interpreter; the gradient against
 * central differences; and the device against the interpreter and the fixture (fp32 tolerance)
 * under both kernel plans.
 */
class MagFaceTest {
    private static final FixtureFiles FILES = new FixtureFiles("/fixtures/magface/", "tools/make_magface_fixtures.py");

    static Stream<String> cases() {
        return FILES.names().stream();
    }

    static Stream<Arguments> casesAndPlans() {
        return cases().flatMap(c -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(c, p)));
    }

    private static NDArray array(String c, String file) {
        return FILES.array(c, file);
    }

    private static NDArray labels(String c) {
        return FILES.array(c, "labels.npy");
    }

    private static MagFace head(String c) {
        JsonNode p = FILES.jsonTree(c);
        return new MagFace(p.get("s").asDouble(), p.get("l_a").asDouble(), p.get("u_a").asDouble(), p.get("l_m").asDouble(),
                p.get("u_m").asDouble(), p.get("lambda_g").asDouble(), p.get("easy_margin").asBoolean());
    }

    private record Graph(Tape tape, Tensor x, Tensor w, Tensor y, Tensor logits, Tensor loss, Tensor[] grads) {
        static Graph of(MagFace head, NDArray x, NDArray w) {
            Tape tape = new Tape();
            Tensor xt = tape.param("x", x.shape().dims());
            Tensor wt = tape.param("w", w.shape().dims());
            Tensor y = tape.labels("y", x.shape().dim(0));
            Tensor logits = head.logits(xt, wt, y);
            Tensor loss = head.loss(logits, xt, y);
            return new Graph(tape, xt, wt, y, logits, loss, tape.grad(loss, xt, wt));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theInterpreterMatchesTheAuthorsCode(String c) {
        NDArray x = array(c, "x.npy");
        NDArray w = array(c, "w.npy");
        Graph g = Graph.of(head(c), x, w);
        NDArray[] got = Interpreter.run(Map.of(g.x(), x, g.w(), w, g.y(), labels(c)), g.logits(), g.loss(), g.grads()[0], g.grads()[1]);
        StatefulHeadFixture.assertClose(array(c, "logits.npy"), got[0], 1e-12, c + " logits");
        double want = FILES.array(c, "loss.npy").data()[0];
        assertEquals(want, got[1].item(), 1e-12 * Math.abs(want), c + " loss");
        StatefulHeadFixture.assertClose(array(c, "grad_x.npy"), got[2], 1e-10, c + " grad x");
        StatefulHeadFixture.assertClose(array(c, "grad_w.npy"), got[3], 1e-10, c + " grad W");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGradientHoldsAgainstCentralDifferences(String c) {
        MagFace head = head(c);
        NDArray labels = labels(c);
        GradCheck.Report report = GradCheck.of((tape, a) -> {
            Tensor y = tape.labels("y", labels.size());
            return head.loss(head.logits(a[0], a[1], y), a[0], y);
        }).fixed("y", labels).check(array(c, "x.npy"), array(c, "w.npy"));
        assertTrue(report.passed(), c + ": " + report);
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("casesAndPlans")
    void theDeviceAgreesWithTheInterpreter(String c, PlanChoice plan) {
        NDArray x = array(c, "x.npy");
        NDArray w = array(c, "w.npy");
        Graph g = Graph.of(head(c), x, w);
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(g.logits(), g.loss(), g.grads()[0], g.grads()[1]),
                Map.of(g.x(), x, g.w(), w, g.y(), labels(c)), plan, new Random(4), k -> List.of("logits", "loss", "grad x", "grad W").get(k),
                g.tape().dump());
        StatefulHeadFixture.assertDeviceMatchesFixture(List.of(g.logits(), g.loss(), g.grads()[0], g.grads()[1]),
                Map.of(g.x(), x, g.w(), w, g.y(), labels(c)), plan, Stream.of("logits", "loss", "grad_x", "grad_w")
                        .map(f -> array(c, f + ".npy")).toList(), c + ", " + plan + " plan: logits, loss, grad x, grad W");
    }

    /** The chunked path (3 classes at a time, no N×C buffer): the norm-dependent margin and the regulariser are per-row values. */
    @ParameterizedTest(name = "{0} plan")
    @org.junit.jupiter.params.provider.EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void theChunkedPathAgreesWithTheInterpreter(PlanChoice plan) {
        String c = "authors_8x16x10";
        NDArray x = array(c, "x.npy");
        NDArray w = array(c, "w.npy");
        Graph g = Graph.of(head(c), x, w);
        Map<Tensor, NDArray> feeds = org.arcgrad.tests.opencl.DeviceComparison.roundToFloat(Map.of(g.x(), x, g.w(), w, g.y(), labels(c)));
        try (org.arcgrad.opencl.fused.ChunkedExecutable e = org.arcgrad.opencl.fused.ChunkedExecutable.compile(
                org.arcgrad.tests.opencl.SharedDevice.context(), org.arcgrad.opencl.CompileOptions.defaults().withPlan(plan), 3,
                g.loss(), g.grads()[0], g.grads()[1])) {
            NDArray[] device = e.run(feeds);
            var wrong = org.arcgrad.opencl.InterpreterAgreement.check(org.arcgrad.autodiff.Graph.of(g.loss(), g.grads()[0], g.grads()[1]),
                    feeds, device, new Random(5));
            assertTrue(wrong.isEmpty(), () -> plan + ": " + wrong.get());
        }
    }
}
