package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.arcgrad.tests.oracle.Direct;
import org.arcgrad.tests.seed.SeedFormula;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact boundaries of the margin heads: a sample exactly aligned with its class (cos = 1, where
 * d cos(θ + m) / d cos is infinite and acos-based heads give NaN), exactly opposite (cos = −1), a
 * zero feature (every cosine 0), and a sample orthogonal to its class (target cosine exactly 0,
 * easy_margin's switch). On the interpreter every head's loss and gradients are finite there, and
 * ArcFace's logits and loss are the seed's (its formula evaluated directly, {@link SeedFormula}) up
 * to the radicand clamp, at most s·sin m·1e-6 at ±1. On the device, under both kernel plans,
 * everything agrees with the interpreter: the masks at these exact ties (cos > 0 at 0, cos > th)
 * must take the same branch, with no rounding slack, since these cosines are exact in fp32 too.
 */
class AlignedSampleTest {
    private static final int[] LABELS = {0, 4, 2, 1};
    private static final int CLASSES = 5;

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("ArcFace", new ArcFace(), 1),
                Arguments.of("ArcFace easy", new ArcFace(30, 0.5, true), 1),
                Arguments.of("CosFace", new CosFace(), 1),
                Arguments.of("SphereFace", new SphereFace(4, 2000), 1),
                Arguments.of("Combined m1=1", new CombinedMargin(), 1),
                Arguments.of("Combined m1=2", new CombinedMargin(64, 2, 0.3, 0.2), 1),
                Arguments.of("Combined m1=0.9", new CombinedMargin(64, 0.9, 0.4, 0.15), 1),
                Arguments.of("SubCenter K=3", new SubCenterArcFace(), 3));
    }

    static Stream<Arguments> headsAndPlans() {
        return heads().flatMap(a -> Stream.of(PlanChoice.CPU, PlanChoice.GPU).map(p -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], p)));
    }

    /** W [C·k, 4] and x [4, 4]: sample 0 aligned with its class, 1 opposite, 2 zero, 3 orthogonal to every sub-center of its class. */
    private record Boundary(double[][] x, double[][] w) {
        static Boundary of(String name, int k) {
            Random random = new Random(name.hashCode());
            double[][] w = Direct.gaussian(CLASSES * k, 4, random);
            // axis-aligned rows normalise exactly, so the cosines are exactly 1, −1 and 0, in fp64 and in fp32
            w[LABELS[0] * k + k - 1] = new double[] {0, 0, 1.5, 0};
            w[LABELS[1] * k] = new double[] {0, -0.75, 0, 0};
            for (int j = 0; j < k; j++) {
                w[LABELS[3] * k + j][3] = 0;
            }
            double[][] x = new double[4][];
            x[0] = scaled(w[LABELS[0] * k + k - 1], 2.5);
            x[1] = scaled(w[LABELS[1] * k], -0.5);
            x[2] = new double[4];
            x[3] = new double[] {0, 0, 0, 2};
            return new Boundary(x, w);
        }
    }

    private record Graph(Tape tape, Tensor x, Tensor w, Tensor y, Tensor logits, Tensor loss, Tensor[] grads) {
        static Graph of(MarginHead head, int rows) {
            Tape tape = new Tape();
            Tensor x = tape.param("x", 4, 4);
            Tensor w = tape.param("w", rows, 4);
            Tensor y = tape.labels("y", 4);
            Tensor logits = head.logits(x, w, y);
            Tensor loss = Functional.crossEntropy(logits, y);
            return new Graph(tape, x, w, y, logits, loss, tape.grad(loss, x, w));
        }

        Map<Tensor, NDArray> feeds(Boundary b) {
            return Map.of(x, Direct.array(b.x()), w, Direct.array(b.w()), y, Direct.array(LABELS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void lossAndGradientsAreFiniteAndArcFaceIsTheSeed(String name, MarginHead head, int k) {
        Boundary b = Boundary.of(name, k);
        Graph g = Graph.of(head, b.w().length);
        NDArray[] got = Interpreter.run(g.feeds(b), g.logits(), g.loss(), g.grads()[0], g.grads()[1]);
        for (NDArray a : got) {
            for (double v : a.data()) {
                assertTrue(Double.isFinite(v), name + ": " + a);
            }
        }
        if (head instanceof ArcFace) {
            SeedFormula seed = new SeedFormula(30, 0.5, name.contains("easy"));
            double[][] want = seed.logits(b.x(), b.w(), LABELS);
            double clamp = 30 * Math.sin(0.5) * 1e-6;
            for (int i = 0; i < want.length; i++) {
                for (int j = 0; j < CLASSES; j++) {
                    assertEquals(want[i][j], got[0].data()[i * CLASSES + j], clamp + 1e-12, name + ": logit [" + i + ", " + j + "]");
                }
            }
            assertEquals(seed.loss(b.x(), b.w(), LABELS), got[1].item(), clamp + 1e-12, name + ": loss");
            // the switch rows: easy_margin keeps the cosine (0) at cos = 0; otherwise cos > th holds there
            double zeroTarget = got[0].data()[3 * CLASSES + LABELS[3]];
            assertEquals(name.contains("easy") ? 0 : -30 * Math.sin(0.5), zeroTarget, 1e-12, name + ": target logit at cos = 0");
        }
    }

    @ParameterizedTest(name = "{0}, {3} plan")
    @MethodSource("headsAndPlans")
    void theDeviceAgreesWithTheInterpreterAtTheBoundaries(String name, MarginHead head, int k, PlanChoice plan) {
        Boundary b = Boundary.of(name, k);
        Graph g = Graph.of(head, b.w().length);
        List<Tensor> outputs = new ArrayList<>(List.of(g.logits(), g.loss(), g.grads()[0], g.grads()[1]));
        List<String> names = List.of("logits", "loss", "grad x", "grad w");
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, g.feeds(b), plan, new Random(1), k2 -> name + " " + names.get(k2),
                g.tape().dump());
    }

    private static double[] scaled(double[] v, double k) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = k * v[i];
        }
        return r;
    }
}
