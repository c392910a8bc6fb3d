package org.arcgrad.tests.heads;

import org.arcgrad.tests.oracle.Direct;

import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.CosFace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CosFace against s·(cos θ − m) on the label column, s·cos θ elsewhere, evaluated directly. */
class CosFaceTest {
    /** AddMarginProduct's forward (ronghuaiyang/arcface-pytorch), in plain loops. */
    static HeadAgreement.Oracle oracle(double s, double m) {
        return (x, w, labels) -> {
            double[][] cosine = Direct.cosines(x, w);
            double[][] out = new double[x.length][w.length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < w.length; j++) {
                    double c = cosine[i][j];
                    out[i][j] = s * (labels[i] == j ? c - m : c);
                }
            }
            return out;
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(30.0, 0.40, 1L),
                Arguments.of(64.0, 0.35, 2L),
                Arguments.of(30.0, 0.0, 3L),
                Arguments.of(16.0, 0.9, 4L));
    }

    @ParameterizedTest(name = "s={0} m={1}")
    @MethodSource("cases")
    void matchesTheFormula(double s, double m, long seed) {
        Random random = new Random(seed);
        int[] labels = {0, 6, 3, 3, 1, 5};
        double[][] w = Direct.gaussian(7, 5, random);
        double[][] x = Direct.gaussian(labels.length, 5, random);
        HeadAgreement.check(new CosFace(s, m), oracle(s, m), x, w, labels);
    }

    /** Samples nearly aligned with their class or opposite to it, with the default parameters. */
    @Test
    void nearlyAlignedSamples() {
        Random random = new Random(5);
        int[] labels = Direct.distinctLabels(6, 7);
        double[][] w = Direct.gaussian(7, 5, random);
        double[][] x = Direct.gaussian(labels.length, 5, random);
        for (int i = 0; i < x.length; i++) {
            x[i] = Direct.withCosine(w[labels[i]], x[i], i % 2 == 0 ? 1 - 1e-4 : -1 + 1e-4, 1 + i);
        }
        // the defaults, written out: AddMarginProduct's s = 30, m = 0.40
        HeadAgreement.check(new CosFace(), oracle(30, 0.40), x, w, labels);
    }
}
