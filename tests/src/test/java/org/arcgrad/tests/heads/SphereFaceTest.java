package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SphereFace, whose ψ is computed without acos (Chebyshev T_m and comparison masks for k), against
 * the reference's acos route evaluated directly: θ = acos(c), k = floor(mθ/π),
 * ψ = (−1)^k·cos(mθ) − 2k, output = (one_hot·(ψ − c)/(1 + λ) + c)·‖x‖.
 */
class SphereFaceTest {
    /** SphereProduct's forward (ronghuaiyang/arcface-pytorch) in plain loops, λ recomputed here. */
    static HeadAgreement.Oracle oracle(int m, long iter) {
        double lambda = Math.max(5.0, 1000.0 / (1 + 0.12 * iter));
        return (x, w, labels) -> {
            double[][] cosine = Direct.cosines(x, w);
            double[][] out = new double[x.length][w.length];
            for (int i = 0; i < x.length; i++) {
                double norm = Direct.norm(x[i]);
                for (int j = 0; j < w.length; j++) {
                    double c = Math.min(Math.max(cosine[i][j], -1), 1);
                    double theta = Math.acos(c);
                    double k = Math.floor(m * theta / Math.PI);
                    double psi = Math.pow(-1, k) * Math.cos(m * theta) - 2 * k;
                    double oneHot = labels[i] == j ? 1 : 0;
                    out[i][j] = (oneHot * (psi - c) / (1 + lambda) + c) * norm;
                }
            }
            return out;
        };
    }

    enum Inputs { RANDOM, NEAR_SWITCHES, NEAR_ENDS }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(4, 0L, Inputs.RANDOM),
                Arguments.of(4, 100L, Inputs.RANDOM),
                Arguments.of(4, 2000L, Inputs.RANDOM),
                Arguments.of(1, 2000L, Inputs.RANDOM),
                Arguments.of(2, 2000L, Inputs.NEAR_SWITCHES),
                Arguments.of(3, 2000L, Inputs.NEAR_SWITCHES),
                Arguments.of(4, 2000L, Inputs.NEAR_SWITCHES),
                Arguments.of(5, 2000L, Inputs.NEAR_SWITCHES),
                Arguments.of(4, 2000L, Inputs.NEAR_ENDS));
    }

    /** λ = 5 (iter 2000) lets ψ carry 1/6 of the target logit; at λ = 1000 a wrong ψ would hide in 1/1001. */
    @ParameterizedTest(name = "m={0} iter={1} {2}")
    @MethodSource("cases")
    void matchesTheAcosFormula(int m, long iter, Inputs kind) {
        Random random = new Random(17L * m + iter + kind.ordinal());
        int[] labels = kind == Inputs.RANDOM ? new int[] {0, 6, 2, 2, 4, 5} : Direct.distinctLabels(2 * m + 2, 2 * m + 3);
        double[][] w = Direct.gaussian(kind == Inputs.RANDOM ? 7 : 2 * m + 3, 5, random);
        double[][] x = Direct.gaussian(labels.length, 5, random);
        for (int i = 0; i < x.length; i++) {
            double target = switch (kind) {
                case RANDOM -> Double.NaN;
                // both sides of each switch cos(jπ/m), j = 1..m, 1e-3 away so central differences stay on one side
                case NEAR_SWITCHES -> Math.cos((1 + i / 2 % m) * Math.PI / m) + (i % 2 == 0 ? 1e-3 : -1e-3);
                case NEAR_ENDS -> i % 2 == 0 ? 1 - 1e-4 : -1 + 1e-4;
            };
            if (!Double.isNaN(target)) {
                x[i] = Direct.withCosine(w[labels[i]], x[i], Math.max(-1 + 1e-4, Math.min(1 - 1e-4, target)), 0.5 + i);
            }
        }
        HeadAgreement.check(new SphereFace(m, iter), oracle(m, iter), x, w, labels);
    }

    /**
     * The target logit over a sweep of θ through [0, π], including every switch jπ/m exactly,
     * where the masks and acos's floor may pick neighbouring k: ψ is continuous, so the values
     * must still agree.
     */
    @Test
    void sweepOfTheAngleIncludingEverySwitch() {
        for (int m = 1; m <= 6; m++) {
            int steps = 12 * m;
            double[][] x = new double[steps + 1][];
            int[] labels = new int[steps + 1];
            for (int i = 0; i <= steps; i++) {
                double t = Math.PI * i / steps;
                x[i] = new double[] {(1 + i % 3) * Math.cos(t), (1 + i % 3) * Math.sin(t)};
            }
            double[][] w = {{2, 0}, {0.3, -0.9}};
            NDArray got = logits(new SphereFace(m, 5000), x, w, labels);
            double[][] expect = oracle(m, 5000).logits(x, w, labels);
            for (int i = 0; i <= steps; i++) {
                for (int j = 0; j < 2; j++) {
                    HeadAgreement.assertClose(expect[i][j], got.get(i, j), 1e-12, 1e-12,
                            "m=" + m + " θ=" + i + "π/" + steps + " column " + j);
                }
            }
            int n = x.length;
            SphereFace head = new SphereFace(m, 5000);
            GradCheck.Report r = GradCheck.of((tape, a) -> {
                Tensor y = tape.labels("y", n);
                return Functional.crossEntropy(head.logits(a[0], a[1], y), y);
            }).fixed("y", Direct.array(labels)).check(Direct.array(x), Direct.array(w));
            assertTrue(r.passed(), "m=" + m + ": " + r);
        }
    }

    @Test
    void lambdaFollowsTheAnnealingSchedule() {
        assertEquals(1000.0, SphereFace.lambda(0), 0);
        assertEquals(1000.0 / 1.12, SphereFace.lambda(1), 1e-12);
        assertEquals(1000.0 / 13, SphereFace.lambda(100), 1e-12);
        assertEquals(5.0, SphereFace.lambda(2000), 0);
        assertEquals(5.0, SphereFace.lambda(Long.MAX_VALUE / 2), 0);
        assertEquals(1000.0, new SphereFace().lambda(), 0);
        assertEquals(4, new SphereFace().m());
        assertEquals(1000.0 / 13, new SphereFace(3, 100).lambda(), 1e-12);
    }

    private static NDArray logits(SphereFace head, double[][] x, double[][] w, int[] labels) {
        Tape tape = new Tape();
        Tensor xt = tape.input("x", x.length, x[0].length);
        Tensor wt = tape.input("w", w.length, w[0].length);
        Tensor yt = tape.labels("y", labels.length);
        Tensor out = head.logits(xt, wt, yt);
        return Interpreter.run(Map.of(xt, Direct.array(x), wt, Direct.array(w), yt, Direct.array(labels)), out)[0];
    }
}
