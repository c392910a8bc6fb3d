package org.arcgrad.tests.seed;

/**
 * The seed's ArcFace head (../shared/seed/000_429e6a4213ba7b1a.txt) and F.cross_entropy, evaluated
 * directly in fp64 with plain loops: an oracle that shares no code with arcgrad's tape.
 */
final class SeedFormula {
    final double s;
    final double m;
    final boolean easyMargin;

    SeedFormula(double s, double m, boolean easyMargin) {
        this.s = s;
        this.m = m;
        this.easyMargin = easyMargin;
    }

    /** F.normalize(v) on each row: v / max(‖v‖, 1e-12). */
    static double[][] normalizeRows(double[][] v) {
        double[][] r = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            double sq = 0;
            for (double e : v[i]) {
                sq += e * e;
            }
            double norm = Math.max(Math.sqrt(sq), 1e-12);
            r[i] = new double[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                r[i][j] = v[i][j] / norm;
            }
        }
        return r;
    }

    double[][] cosine(double[][] x, double[][] w) {
        double[][] xn = normalizeRows(x);
        double[][] wn = normalizeRows(w);
        double[][] c = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < w.length; j++) {
                double d = 0;
                for (int k = 0; k < xn[i].length; k++) {
                    d += xn[i][k] * wn[j][k];
                }
                c[i][j] = d;
            }
        }
        return c;
    }

    /** The seed's forward: output = s · (one_hot · phi + (1 − one_hot) · cosine). */
    double[][] logits(double[][] x, double[][] w, int[] labels) {
        double cosM = Math.cos(m);
        double sinM = Math.sin(m);
        double th = Math.cos(Math.PI - m);
        double mm = Math.sin(Math.PI - m) * m;
        double[][] cosine = cosine(x, w);
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

    /** F.cross_entropy(output, labels), mean reduction. */
    static double crossEntropy(double[][] logits, int[] labels) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits[i]) {
                sum += Math.exp(v - max);
            }
            total += max + Math.log(sum) - logits[i][labels[i]];
        }
        return total / logits.length;
    }

    double loss(double[][] x, double[][] w, int[] labels) {
        return crossEntropy(logits(x, w, labels), labels);
    }
}
