package org.arcgrad.opencl.gemm;

/**
 * Which operands of C = op(A)·op(B) are transposed, in BLAS naming: the first letter is A's op,
 * the second B's; N = as stored, T = transposed. Matrices are row-major.
 *
 * <ul>
 *   <li>{@link #NN}: A stored M×K, B stored K×N. ArcFace backward grad_x = G·W.</li>
 *   <li>{@link #NT}: A stored M×K, B stored N×K. ArcFace forward logits = x·Wᵀ.</li>
 *   <li>{@link #TN}: A stored K×M, B stored K×N. ArcFace backward grad_W = Gᵀ·x.</li>
 *   <li>{@link #TT}: A stored K×M, B stored N×K. Not used by the head; there for completeness.</li>
 * </ul>
 */
public enum GemmVariant {
    NN(false, false),
    NT(false, true),
    TN(true, false),
    TT(true, true);

    private final boolean transposeA;
    private final boolean transposeB;

    GemmVariant(boolean transposeA, boolean transposeB) {
        this.transposeA = transposeA;
        this.transposeB = transposeB;
    }

    public static GemmVariant of(boolean transposeA, boolean transposeB) {
        return transposeA ? (transposeB ? TT : TN) : (transposeB ? NT : NN);
    }

    public boolean transposeA() {
        return transposeA;
    }

    public boolean transposeB() {
        return transposeB;
    }

    /** Rows and columns of A as stored in memory, for a product of M×N with depth K. */
    public int storedRowsA(int m, int k) {
        return transposeA ? k : m;
    }

    public int storedColsA(int m, int k) {
        return transposeA ? m : k;
    }

    public int storedRowsB(int n, int k) {
        return transposeB ? n : k;
    }

    public int storedColsB(int n, int k) {
        return transposeB ? k : n;
    }
}
