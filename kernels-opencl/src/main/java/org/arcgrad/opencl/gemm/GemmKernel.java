package org.arcgrad.opencl.gemm;

import java.util.List;

/**
 * A rendered GEMM kernel: its OpenCL C source, its name, and how to launch it.
 *
 * <p>Kernel arguments, in order: {@code int M, int N, int K, const float* A, int lda,
 * const float* B, int ldb, float* C, int ldc}, then the epilogue's parameters. A and B are as
 * stored (see {@link GemmVariant}); lda, ldb and ldc are row strides in elements (the stored
 * column count for dense matrices: {@link #denseLeadingDimensions}).
 *
 * @param source OpenCL C
 * @param name the {@code __kernel} function's name
 * @param variant which operands are transposed
 * @param params the tuning parameters it was rendered with
 * @param epilogue the epilogue it applies
 * @param argumentNames names of all kernel arguments, in order
 * @param columnLoop each work-group walks its share of the column tiles (an output stage that reduces rows)
 */
public record GemmKernel(String source, String name, GemmVariant variant, GemmParams params, Epilogue epilogue,
                         List<String> argumentNames, boolean columnLoop) {

    public GemmKernel {
        argumentNames = List.copyOf(argumentNames);
    }

    /**
     * Global work size {dim0, dim1} for C of M×N: dim 0 runs along N, dim 1 along M (swapped for
     * TT); one group along N when the kernel walks all column tiles itself.
     */
    public long[] globalSize(int m, int n) {
        checkSizes(m, n, 1);
        int p = variant == GemmVariant.TT ? n : m;
        int q = variant == GemmVariant.TT ? m : n;
        long groupsQ = columnLoop ? 1 : ceilDiv(q, params.nwg());
        long groupsP = ceilDiv(p, params.mwg());
        return new long[] {groupsQ * params.ndimc(), groupsP * params.mdimc()};
    }

    /**
     * Global work size of a kernel that walks the column tiles ({@link #columnLoop}) split among
     * {@code splits} work-groups along N, each taking every splits-th tile.
     */
    public long[] globalSize(int m, int n, int splits) {
        if (!columnLoop || splits < 1) {
            throw new IllegalArgumentException("splits of the column walk need a kernel that walks the column tiles, and at least 1");
        }
        long[] size = globalSize(m, n);
        size[0] *= splits;
        return size;
    }

    /** Local work size {NDIMC, MDIMC}; the kernel requires exactly this. */
    public long[] localSize() {
        return new long[] {params.ndimc(), params.mdimc()};
    }

    /** lda, ldb, ldc of dense row-major operands of this variant. */
    public int[] denseLeadingDimensions(int m, int n, int k) {
        return new int[] {variant.storedColsA(m, k), variant.storedColsB(n, k), n};
    }

    /** Floating-point operations of one launch, 2·M·N·K, for GFLOP/s figures. */
    public static double flops(int m, int n, int k) {
        return 2.0 * m * n * k;
    }

    static void checkSizes(int m, int n, int k) {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("GEMM sizes must be at least 1, got M=" + m + " N=" + n + " K=" + k);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
