package org.arcgrad.opencl.gemm;

/**
 * Copies a dense [rows, cols] matrix into [cols, rows] (its transpose), for a CPU product x·Wᵀ
 * that runs as TT over the copy ({@link GemmDefaults#cpuTransposesA}): the outer-product form
 * needs A's columns contiguous, and A (a batch of rows) is small beside the product. A
 * work-item writes 16 consecutive elements of one output row as a vector, reading them down a
 * column of the input, where consecutive work-items read consecutive columns: 0.05 ms for a
 * [256, 512] batch on 2 PoCL cores, against 0.16 ms one element per work-item. Sizes are
 * arguments, so one program serves every graph.
 */
public final class TransposedCopy {
    /** The kernel's name, and its program's in the cache. */
    public static final String KERNEL = "arcgrad_transposed_copy";

    private TransposedCopy() {
    }

    /** OpenCL C of {@code KERNEL(out, in, rows, cols)}: out[c·rows + r] = in[r·cols + c]. */
    public static String source() {
        SourceWriter s = new SourceWriter();
        s.line("// arcgrad transposed copy: out [cols, rows] = in [rows, cols] transposed");
        s.open("__kernel void " + KERNEL + "(__global float* restrict out, __global const float* restrict in, const int rows, "
                + "const int cols)");
        s.line("const int c = get_global_id(0), r0 = get_global_id(1) * 16;");
        s.open("if (r0 + 16 <= rows)");
        s.line("float column[16];");
        s.line("for (int i = 0; i < 16; i++) column[i] = in[(long) (r0 + i) * cols + c];");
        s.line("vstore16(vload16(0, column), 0, out + (long) c * rows + r0);");
        s.reopen("else");
        s.line("for (int r = r0; r < rows; r++) out[(long) c * rows + r] = in[(long) r * cols + c];");
        s.close();
        s.close();
        return s.toString();
    }

    /** A work-item per column of the input and block of 16 rows (the last block may be short). */
    public static long[] globalSize(int rows, int cols) {
        return new long[] {cols, (rows + 15) / 16};
    }
}
