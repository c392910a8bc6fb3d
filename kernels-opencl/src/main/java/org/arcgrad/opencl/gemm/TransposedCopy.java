package org.arcgrad.opencl.gemm;

/**
 * Copies a dense [rows, cols] matrix into [cols, rows] (its transpose), for a CPU product x·Wᵀ
 * that runs as TT over the copy ({@link GemmDefaults#cpuTransposesA}): the outer-product form
 * needs A's columns contiguous, and A (a batch of rows) is small beside the product. One
 * work-item per element, the output's consecutive elements on consecutive work-items; sizes are
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
        s.line("const int r = get_global_id(0), c = get_global_id(1);");
        s.line("out[(long) c * rows + r] = in[(long) r * cols + c];");
        s.close();
        return s.toString();
    }

    /** One work-item per element: rows along the first dimension, columns along the second. */
    public static long[] globalSize(int rows, int cols) {
        return new long[] {rows, cols};
    }
}
