package org.arcgrad.tests.seed;

import org.arcgrad.tests.oracle.Direct;

/**
 * The seed's ArcFace head (../shared/seed/000_429e6a4213ba7b1a.txt) and F.cross_entropy, evaluated
 * directly in fp64 with plain loops ({@link Direct}): an oracle that shares no code with arcgrad's tape.
 */
public final class SeedFormula {
    final double s;
    final double m;
    final boolean easyMargin;

    public SeedFormula(double s, double m, boolean easyMargin) {
        this.s = s;
        this.m = m;
        this.easyMargin = easyMargin;
    }

    /** The seed's forward: output = s · (one_hot · phi + (1 − one_hot) · cosine). */
    public double[][] logits(double[][] x, double[][] w, int[] labels) {
        double cosM = Math.cos(m);
        double sinM = Math.sin(m);
        double th = Math.cos(Math.PI - m);
        double mm = Math.sin(Math.PI - m) * m;
        double[][] cosine = Direct.cosines(x, w);
        double[][] out = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < w.length; j++) {
                double c = cosine[i][j];
                double sine = Math.sqrt(Math.min(Math.max(1.0 - c * c, 0), 1));
                double phi = c * cosM - sine * sinM;
                if (easyMargin) {
                    phi = c > 0 ? phi : c;
                } else {
                    phi = c > th ? phi : c - mm;
                }
                double oneHot = labels[i] == j ? 1 : 0;
                out[i][j] = (oneHot * phi + (1.0 - oneHot) * c) * s;
            }
        }
        return out;
    }

    public double loss(double[][] x, double[][] w, int[] labels) {
        return Direct.crossEntropy(logits(x, w, labels), labels);
    }
}
