package org.arcgrad.opencl.runtime;

/**
 * Copies chosen rows between a matrix and a matrix of just those rows, on the device: the
 * gather before and the scatter after a step that works on a sample of a matrix's rows (Partial
 * FC trains the sampled classes' rows of W and of its optimizer state). Both enqueue one kernel
 * and do not wait. The row indices are an int32 buffer; a scatter needs them distinct, as two
 * writes to one row would race.
 */
public final class RowCopy {
    private static final String SOURCE = """
            // dst[i, :] = src[rows[i], :]
            __kernel void gather_rows(__global const float* src, __global const int* rows, __global float* dst,
                                      int width, int count) {
                size_t i = get_global_id(0);
                if (i >= (size_t)count * width) return;
                size_t r = i / width;
                dst[i] = src[(size_t)rows[r] * width + (i - r * width)];
            }
            // dst[rows[i], :] = src[i, :]
            __kernel void scatter_rows(__global const float* src, __global const int* rows, __global float* dst,
                                       int width, int count) {
                size_t i = get_global_id(0);
                if (i >= (size_t)count * width) return;
                size_t r = i / width;
                dst[(size_t)rows[r] * width + (i - r * width)] = src[i];
            }
            """;

    private final Kernel gather;
    private final Kernel scatter;

    public RowCopy(DeviceContext context) {
        Program program = context.build(SOURCE);
        this.gather = program.kernel("gather_rows");
        this.scatter = program.kernel("scatter_rows");
    }

    /** {@code rows.elements()} rows of {@code width} from {@code all} (in the order of {@code rows}) into {@code picked}. */
    public void gather(DeviceBuffer all, DeviceBuffer rows, DeviceBuffer picked, int width) {
        launch(gather, all, rows, picked, width, picked, all);
    }

    /** The rows of {@code picked} back to rows {@code rows} of {@code all}; the others stay as they are. */
    public void scatter(DeviceBuffer picked, DeviceBuffer rows, DeviceBuffer all, int width) {
        launch(scatter, picked, rows, all, width, picked, all);
    }

    private static void launch(Kernel k, DeviceBuffer src, DeviceBuffer rows, DeviceBuffer dst, int width, DeviceBuffer picked,
                               DeviceBuffer all) {
        if (rows.type() != ElementType.INT32 || src.type() != ElementType.FLOAT32 || dst.type() != ElementType.FLOAT32) {
            throw new IllegalArgumentException("row copy: rows must be int32 and the matrices float32, got " + rows.describe()
                    + ", " + src.describe() + ", " + dst.describe());
        }
        long count = rows.elements();
        if (width <= 0 || all.elements() % width != 0) {
            throw new IllegalArgumentException("row copy: " + all.describe() + " is not made of rows of " + width);
        }
        if (picked.elements() != count * width) {
            throw new IllegalArgumentException("row copy: " + picked.describe() + " is not " + count + " rows of " + width);
        }
        if (count == 0) {
            return;
        }
        k.args(src, rows, dst, width, (int) count).launch(Kernel.roundUp(count * width, 64));
    }
}
