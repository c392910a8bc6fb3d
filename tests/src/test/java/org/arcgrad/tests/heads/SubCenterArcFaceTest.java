package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sub-center ArcFace against a direct evaluation: W is [C·K, D] with row c·K + k the k-th centre of
 * class c (insightface's reshape to (N, C, K)); cos = max over k; then the seed's ArcFace margin.
 */
class SubCenterArcFaceTest {
    /** insightface's sub-centre max, then the seed's Arcface.forward, in plain loops. */
    static HeadAgreement.Oracle oracle(double s, double m, boolean easy, int k) {
        return (x, w, labels) -> {
            double[][] all = Direct.cosines(x, w);
            int classes = w.length / k;
            double th = Math.cos(Math.PI - m);
            double mm = Math.sin(Math.PI - m) * m;
            double[][] out = new double[x.length][classes];
            for (int i = 0; i < x.length; i++) {
                for (int c = 0; c < classes; c++) {
                    double cosine = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) {
                        cosine = Math.max(cosine, all[i][c * k + j]);
                    }
                    double sine = Math.sqrt(Math.min(Math.max(1.0 - cosine * cosine, 0), 1));
                    double phi = cosine * Math.cos(m) - sine * Math.sin(m);
                    phi = easy ? (cosine > 0 ? phi : cosine) : (cosine > th ? phi : cosine - mm);
                    out[i][c] = s * (labels[i] == c ? phi : cosine);
                }
            }
            return out;
        };
    }

    enum Inputs { RANDOM, NEAR_TH, NEAR_ONE, NEAR_ZERO }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(30.0, 0.5, false, 3, Inputs.RANDOM),
                Arguments.of(30.0, 0.5, true, 3, Inputs.RANDOM),
                Arguments.of(64.0, 0.5, false, 2, Inputs.RANDOM),
                Arguments.of(30.0, 0.5, false, 1, Inputs.RANDOM),
                Arguments.of(30.0, 0.5, false, 3, Inputs.NEAR_TH),
                Arguments.of(30.0, 1.0, false, 3, Inputs.NEAR_TH),
                Arguments.of(30.0, 0.5, false, 3, Inputs.NEAR_ONE),
                Arguments.of(30.0, 0.5, true, 3, Inputs.NEAR_ZERO));
    }

    @ParameterizedTest(name = "s={0} m={1} easy={2} K={3} {4}")
    @MethodSource("cases")
    void matchesTheFormula(double s, double m, boolean easy, int k, Inputs kind) {
        Random random = new Random(100L * k + (long) (10 * m) + (easy ? 1 : 0) + 7L * kind.ordinal());
        int classes = 7;
        int[] labels = kind == Inputs.RANDOM ? new int[] {0, 6, 2, 2, 4, 5} : Direct.distinctLabels(6, classes);
        double[][] x = Direct.gaussian(labels.length, 5, random);
        double[][] w = Direct.gaussian(classes * k, 5, random);
        double th = Math.cos(Math.PI - m);
        for (int i = 0; i < labels.length && kind != Inputs.RANDOM; i++) {
            double best = switch (kind) {
                // 1e-3 either side of the th switch, so central differences stay on one side
                case NEAR_TH -> th + (i % 2 == 0 ? 1e-3 : -1e-3);
                case NEAR_ONE -> i % 2 == 0 ? 1 - 1e-4 : 1 - 1e-3;
                case NEAR_ZERO -> i % 2 == 0 ? 1e-3 : -1e-3;
                case RANDOM -> throw new AssertionError();
            };
            // the label class's centres sit at cosines best, best − 0.02, ...; which centre is the
            // largest moves with the row, so the layout (c·K + k, not k·C + c) is exercised
            int winner = i % k;
            for (int j = 0; j < k; j++) {
                int gap = (j - winner + k) % k;
                double[] other = Direct.gaussian(1, 5, random)[0];
                w[labels[i] * k + j] = Direct.withCosine(x[i], other, best - 0.02 * gap, 0.5 + j);
            }
        }
        HeadAgreement.check(new SubCenterArcFace(s, m, easy, k), oracle(s, m, easy, k), x, w, labels);
    }
}
