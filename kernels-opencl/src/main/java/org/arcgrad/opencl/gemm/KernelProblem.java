package org.arcgrad.opencl.gemm;

/**
 * The product a rendered kernel actually computes: P×Q = L·R with depth K, where L is P×K and
 * R is K×Q. For NN, NT and TN this is C = op(A)·op(B) itself (L = A, R = B). TT is turned into NN
 * of the stored matrices, Cᵀ = B·A (L = B, R = A, P = N, Q = M), with the output written
 * transposed, so that no kernel ever needs A contiguous along rows and B contiguous along K at
 * once.
 *
 * <p>The kernel body only speaks of L, R, P, Q, ldl and ldr; this class spells element access
 * for each stored layout.
 *
 * @param leftKContiguous L[p,k] is at {@code L[p*ldl + k]} (else at {@code L[k*ldl + p]})
 * @param rightQContiguous R[k,q] is at {@code R[k*ldr + q]} (else at {@code R[q*ldr + k]})
 * @param swapped this is TT computed as Cᵀ = B·A
 */
record KernelProblem(boolean leftKContiguous, boolean rightQContiguous, boolean swapped) {

    static KernelProblem of(GemmVariant variant) {
        return switch (variant) {
            case NN -> new KernelProblem(true, true, false);
            case NT -> new KernelProblem(true, false, false);
            case TN -> new KernelProblem(false, true, false);
            case TT -> new KernelProblem(true, true, true);
        };
    }

    /** Outer-product tiles need R contiguous along Q; otherwise (NT) the dot-product form is used. */
    boolean prefersDotProduct() {
        return leftKContiguous && !rightQContiguous;
    }

    String left(String p, String k) {
        return leftKContiguous ? "L[(size_t)(" + p + ") * ldl + (" + k + ")]" : "L[(size_t)(" + k + ") * ldl + (" + p + ")]";
    }

    String right(String k, String q) {
        return rightQContiguous ? "R[(size_t)(" + k + ") * ldr + (" + q + ")]" : "R[(size_t)(" + q + ") * ldr + (" + k + ")]";
    }

    /** Address of R[k,q], for vector loads along Q (R must be Q-contiguous). */
    String rightAlongQ(String k, String q) {
        return "R + (size_t)(" + k + ") * ldr + (" + q + ")";
    }

    /** Address of L[p,k], for vector loads along K (L must be K-contiguous). */
    String leftAlongK(String p, String k) {
        return "L + (size_t)(" + p + ") * ldl + (" + k + ")";
    }

    /** Address of R[k,q], for vector loads along K (R must be K-contiguous). */
    String rightAlongK(String q, String k) {
        return "R + (size_t)(" + q + ") * ldr + (" + k + ")";
    }

    /**
     * Kernel-scope definitions of P, Q, L, R, ldl and ldr in terms of the kernel's arguments. With
     * {@code centres} above 1 (a fold over sub-centres, NT only), Q counts classes, N / centres, R's
     * rows are every centres-th row of B, and R itself is left to the loop over the centres.
     */
    void renderAliases(SourceWriter w, int centres) {
        if (centres > 1) {
            w.line("// " + centres + " centres a class: the kernel's columns are classes, centre k's product reads B's rows c*" + centres
                    + " + k.");
            w.line("const int P = M, Q = N / " + centres + ";");
            w.line("const __global float* restrict L = A; const int ldl = lda;");
            w.line("const int ldr = " + centres + " * ldb;");
        } else if (swapped) {
            w.line("// TT: computes C^T = B*A as an NN product of the stored matrices and writes it transposed.");
            w.line("const int P = N, Q = M;");
            w.line("const __global float* restrict L = B; const int ldl = ldb;");
            w.line("const __global float* restrict R = A; const int ldr = lda;");
        } else {
            w.line("const int P = M, Q = N;");
            w.line("const __global float* restrict L = A; const int ldl = lda;");
            w.line("const __global float* restrict R = B; const int ldr = ldb;");
        }
    }

    /** Row of C for element (p, q) of the kernel's product. */
    String rowOfC(String p, String q) {
        return swapped ? q : p;
    }

    String colOfC(String p, String q) {
        return swapped ? p : q;
    }
}
