package org.arcgrad.arcface.eval;

/**
 * Rows scaled to unit L2 norm, in fp64, so that a dot product is a cosine. The norm is taken as
 * max(‖x‖, 1e-12), as {@code torch.nn.functional.normalize} does: an all-zero row stays zero and
 * has cosine 0 with everything, instead of producing NaN.
 */
public final class UnitRows {
    /** The norm floor of {@code torch.nn.functional.normalize}. */
    public static final double NORM_EPS = 1e-12;

    private final double[] values;
    private final int dim;
    private final int count;

    private UnitRows(double[] values, int dim, int count) {
        this.values = values;
        this.dim = dim;
        this.count = count;
    }

    static UnitRows of(float[] rows, int dim, int count) {
        double[] out = new double[count * dim];
        for (int r = 0; r < count; r++) {
            int base = r * dim;
            double sumSquares = 0;
            for (int k = 0; k < dim; k++) {
                double v = rows[base + k];
                sumSquares += v * v;
            }
            double inverse = 1.0 / Math.max(Math.sqrt(sumSquares), NORM_EPS);
            for (int k = 0; k < dim; k++) {
                out[base + k] = rows[base + k] * inverse;
            }
        }
        return new UnitRows(out, dim, count);
    }

    public int count() {
        return count;
    }

    public int dim() {
        return dim;
    }

    /** Cosine similarity of rows {@code i} and {@code j}. */
    public double cosine(int i, int j) {
        int a = i * dim;
        int b = j * dim;
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            sum += values[a + k] * values[b + k];
        }
        return sum;
    }

    /** Dot product of row {@code i} with {@code vector} (a cosine when the vector has unit norm). */
    public double dot(int i, double[] vector) {
        int a = i * dim;
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            sum += values[a + k] * vector[k];
        }
        return sum;
    }

    /** Adds row {@code i} to {@code accumulator}. */
    void addRowTo(int i, double[] accumulator) {
        int a = i * dim;
        for (int k = 0; k < dim; k++) {
            accumulator[k] += values[a + k];
        }
    }
}
