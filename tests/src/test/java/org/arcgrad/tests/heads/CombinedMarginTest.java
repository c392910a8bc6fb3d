package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The combined margin against insightface's MXNet formula evaluated directly with acos:
 * s·(cos(m1·acos(c) + m2) − m3) on the label column, s·c elsewhere, with no fallback where
 * m1·θ + m2 passes π. Covers the three routes of the head: cosAdd (m1 = 1), Chebyshev (integer
 * m1 ≤ 16) and acos (other m1).
 */
class CombinedMarginTest {
    /** insightface recognition/ArcFace/train.py, margin_softmax, in plain loops. */
    static HeadAgreement.Oracle oracle(double s, double m1, double m2, double m3) {
        return (x, w, labels) -> {
            double[][] cosine = Direct.cosines(x, w);
            double[][] out = new double[x.length][w.length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < w.length; j++) {
                    double c = cosine[i][j];
                    out[i][j] = s * (labels[i] == j ? Math.cos(m1 * Math.acos(c) + m2) - m3 : c);
                }
            }
            return out;
        };
    }

    enum Inputs { RANDOM, NEAR_PI, NEAR_ONE }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(64.0, 1.0, 0.3, 0.2, Inputs.RANDOM),
                Arguments.of(64.0, 1.0, 0.3, 0.2, Inputs.NEAR_PI),
                Arguments.of(64.0, 1.0, 0.5, 0.0, Inputs.NEAR_PI),
                Arguments.of(64.0, 1.0, 0.3, 0.2, Inputs.NEAR_ONE),
                Arguments.of(64.0, 2.0, 0.3, 0.2, Inputs.RANDOM),
                Arguments.of(64.0, 2.0, 0.3, 0.2, Inputs.NEAR_PI),
                Arguments.of(64.0, 2.0, 0.3, 0.2, Inputs.NEAR_ONE),
                Arguments.of(30.0, 4.0, 0.0, 0.1, Inputs.RANDOM),
                Arguments.of(30.0, 3.0, 0.1, 0.1, Inputs.NEAR_PI),
                Arguments.of(64.0, 0.9, 0.4, 0.15, Inputs.RANDOM),
                Arguments.of(64.0, 0.9, 0.4, 0.15, Inputs.NEAR_PI),
                Arguments.of(64.0, 0.9, 0.4, 0.15, Inputs.NEAR_ONE),
                Arguments.of(64.0, 1.5, 0.2, 0.1, Inputs.NEAR_PI),
                Arguments.of(8.0, 17.0, 0.1, 0.0, Inputs.RANDOM));
    }

    @ParameterizedTest(name = "s={0} m1={1} m2={2} m3={3} {4}")
    @MethodSource("cases")
    void matchesInsightfaceFormula(double s, double m1, double m2, double m3, Inputs kind) {
        Random random = new Random(Double.hashCode(m1 * 31 + m2) + kind.ordinal());
        int[] labels = kind == Inputs.RANDOM ? new int[] {0, 6, 2, 2, 4, 5} : Direct.distinctLabels(6, 7);
        double[][] w = Direct.gaussian(7, 5, random);
        double[][] x = Direct.gaussian(labels.length, 5, random);
        // where m1·θ + m2 = π: insightface applies no fallback there, cos simply turns back up
        double cosAtPi = Math.cos((Math.PI - m2) / m1);
        for (int i = 0; i < x.length; i++) {
            double target = switch (kind) {
                case RANDOM -> Double.NaN;
                case NEAR_PI -> cosAtPi + (i % 2 == 0 ? 1e-3 : -1e-3);
                case NEAR_ONE -> i % 2 == 0 ? 1 - 1e-4 : 1 - 1e-3;
            };
            if (!Double.isNaN(target)) {
                x[i] = Direct.withCosine(w[labels[i]], x[i], target, 1 + i);
            }
        }
        HeadAgreement.check(new CombinedMargin(s, m1, m2, m3), oracle(s, m1, m2, m3), x, w, labels);
    }

    @Test
    void defaultsAreInsightfacesCombinedConfig() {
        Random random = new Random(3);
        int[] labels = {1, 0, 6, 3};
        double[][] w = Direct.gaussian(7, 4, random);
        double[][] x = Direct.gaussian(labels.length, 4, random);
        HeadAgreement.check(new CombinedMargin(), oracle(64, 1.0, 0.3, 0.2), x, w, labels);
    }
}
