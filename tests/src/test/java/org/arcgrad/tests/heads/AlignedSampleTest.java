package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where acos-based heads produce NaN: a sample exactly aligned with its class (cos = 1, where
 * d cos(θ + m) / d cos is infinite), exactly opposite (cos = −1), and a zero feature. Every head's
 * loss and gradients must be finite there.
 */
class AlignedSampleTest {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void lossAndGradientsAreFinite(String name, MarginHead head, int k) {
        Random random = new Random(name.hashCode());
        int classes = 5;
        int[] labels = {0, 4, 2};
        double[][] w = Direct.gaussian(classes * k, 4, random);
        // axis-aligned rows normalise exactly, so the cosines are exactly 1 and −1 in fp64
        w[labels[0] * k + k - 1] = new double[] {0, 0, 1.5, 0};
        w[labels[1] * k] = new double[] {0, -0.75, 0, 0};
        double[][] x = new double[3][];
        x[0] = scaled(w[labels[0] * k + k - 1], 2.5);
        x[1] = scaled(w[labels[1] * k], -0.5);
        x[2] = new double[4];

        Tape tape = new Tape();
        Tensor xt = tape.param("x", 3, 4);
        Tensor wt = tape.param("w", w.length, 4);
        Tensor yt = tape.labels("y", 3);
        Tensor loss = Functional.crossEntropy(head.logits(xt, wt, yt), yt);
        Tensor[] grads = tape.grad(loss, xt, wt);
        NDArray[] got = Interpreter.run(Map.of(xt, Direct.array(x), wt, Direct.array(w), yt, Direct.array(labels)),
                loss, grads[0], grads[1]);
        for (NDArray a : got) {
            for (double v : a.data()) {
                assertTrue(Double.isFinite(v), name + ": " + a);
            }
        }
    }

    private static double[] scaled(double[] v, double k) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = k * v[i];
        }
        return r;
    }
}
