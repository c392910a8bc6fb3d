package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.ElasticFace;
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
 * ElasticFace, arc and cos forms, plain and "+", against a float64 transcription of the authors'
 * heads with the same standard normal draws z (tools/make_elasticface_fixtures.py): logits, loss
 * and both gradients at fp64 rounding; the gradient against central differences (the margins
 * held); the device against the interpreter and the fixture (fp32 tolerance) under both plans.
 */
class ElasticFaceTest {
    private static final FixtureFiles FILES = new FixtureFiles("/fixtures/elasticface/", "tools/make_elasticface_fixtures.py");

    static Stream<String> cases() {
        return FILES.names().stream();
    }

    static Stream<Arguments> casesAndPlans() {
        return cases().flatMap(c -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(c, p)));
    }

    private static ElasticFace head(String c) {
        JsonNode p = FILES.jsonTree(c);
        return new ElasticFace(p.get("form").asText().equals("arc") ? ElasticFace.Form.ARC : ElasticFace.Form.COS, p.get("s").asDouble(),
                p.get("m").asDouble(), p.get("std").asDouble(), p.get("plus").asBoolean());
    }

    private record Graph(Tape tape, Tensor x, Tensor w, Tensor y, Tensor z, Tensor logits, Tensor loss, Tensor[] grads) {
        static Graph of(ElasticFace head, String c) {
            NDArray x = FILES.array(c, "x.npy");
            NDArray w = FILES.array(c, "w.npy");
            Tape tape = new Tape();
            Tensor xt = tape.param("x", x.shape().dims());
            Tensor wt = tape.param("w", w.shape().dims());
            Tensor y = tape.labels("y", x.shape().dim(0));
            Tensor z = tape.input("z", x.shape().dim(0), 1);
            Tensor logits = head.logits(xt, wt, y, z);
            Tensor loss = head.loss(logits, xt, y);
            return new Graph(tape, xt, wt, y, z, logits, loss, tape.grad(loss, xt, wt));
        }

        Map<Tensor, NDArray> feeds(String c) {
            return Map.of(x, FILES.array(c, "x.npy"), w, FILES.array(c, "w.npy"), y, FILES.array(c, "labels.npy"), z, FILES.array(c, "z.npy"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theInterpreterMatchesTheAuthorsCode(String c) {
        Graph g = Graph.of(head(c), c);
        NDArray[] got = Interpreter.run(g.feeds(c), g.logits(), g.loss(), g.grads()[0], g.grads()[1]);
        StatefulHeadFixture.assertClose(FILES.array(c, "logits.npy"), got[0], 1e-12, c + " logits");
        double want = FILES.array(c, "loss.npy").data()[0];
        assertEquals(want, got[1].item(), 1e-12 * Math.abs(want), c + " loss");
        StatefulHeadFixture.assertClose(FILES.array(c, "grad_x.npy"), got[2], 1e-10, c + " grad x");
        StatefulHeadFixture.assertClose(FILES.array(c, "grad_w.npy"), got[3], 1e-10, c + " grad W");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGradientHoldsWithTheMarginsHeld(String c) {
        ElasticFace head = head(c);
        NDArray labels = FILES.array(c, "labels.npy");
        GradCheck.Report report = GradCheck.of((tape, a) -> {
            Tensor y = tape.labels("y", labels.size());
            return Functional.crossEntropy(head.logits(a[0], a[1], y, tape.input("z", labels.size(), 1)), y);
        }).fixed("y", labels).fixed("z", FILES.array(c, "z.npy")).holdDetached().check(FILES.array(c, "x.npy"), FILES.array(c, "w.npy"));
        assertTrue(report.passed(), c + ": " + report);
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("casesAndPlans")
    void theDeviceAgreesWithTheInterpreter(String c, PlanChoice plan) {
        Graph g = Graph.of(head(c), c);
        DeviceAgreement.assertDeviceMatchesInterpreter(List.of(g.logits(), g.loss(), g.grads()[0], g.grads()[1]), g.feeds(c), plan,
                new Random(8), k -> List.of("logits", "loss", "grad x", "grad W").get(k), g.tape().dump());
        StatefulHeadFixture.assertDeviceMatchesFixture(List.of(g.logits(), g.loss(), g.grads()[0], g.grads()[1]), g.feeds(c), plan,
                Stream.of("logits", "loss", "grad_x", "grad_w").map(f -> FILES.array(c, f + ".npy")).toList(),
                c + ", " + plan + " plan: logits, loss, grad x, grad W");
    }
}
