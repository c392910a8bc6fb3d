package org.arcgrad.opencl.gemm;

/**
 * A convolution's product C[M×N] = A · patches(X) with the patch matrix never stored (an implicit
 * GEMM, CPU form): each patch element is read from the source X where the product needs it. Row
 * (c, ky, kx) of the patch matrix is a tap of the kernel, column (n, oy, ox) an output position,
 * the element X[n, c, oy·SH − PH + ky·DH, ox·SW − PW + kx·DW] or 0 in the padding (what
 * {@code IM2COL} computes). One work-group of one work-item computes an {@value #ROWS} ×
 * {@value #COLUMNS} tile of C, the columns as {@value #SLOTS} vectors of {@value #LANES}
 * positions, as {@link DirectOuterProduct} does.
 *
 * <p>Both of a convolution's products over positions take this form. The forward product reads
 * the weights [O, C·KH·KW] as A and the image as X, and stores C row-major. A stride-1
 * convolution's input gradient is the convolution of the output gradient g with the weights
 * transposed and flipped, padding DH·(KH − 1) − PH: A is the weights read with the tap order
 * reversed and the roles of O and C swapped (the strides {@code aRow, aChannel, aTap, aBase}:
 * A(p, c, tap) = A[p·aRow + c·aChannel + tap·aTap + aBase]), X is g (any layout with planes of
 * contiguous rows: {@code xImage, xChannel}), and C is stored as the [images, M, OH, OW] image
 * it is ({@code planes}), which col2im would otherwise assemble from a patch-gradient matrix.
 *
 * <p>Why: the patch matrix is KH·KW times larger than the image. Writing it (im2col) and reading it
 * back (the GEMM) took 24 ms for a 3×3 convolution of 256 × 16 × 28 × 28 on this project's 2-core
 * machine, bandwidth-bound; reading the image in place through the caches takes 9–13 ms (the
 * per-kernel lines of {@code tools/StepProfile.java resnet 256}).
 *
 * <p>How: the loop over K runs over the taps, then over the channels. A tap fixes which lanes of
 * each column vector fall in the padding (a mask) and where each lane reads (an offset); a channel
 * only moves the offsets by {@code xChannel}. Where a vector's lanes read consecutive addresses
 * (stride 1 along a row, or rows that follow each other when the output is as wide as the input,
 * all within one image) it is one vector load, masked; otherwise (stride 2, vectors across images,
 * the last partial vector) each lane is read on its own. Summing over taps first orders the
 * additions differently from a plain GEMM: the same value up to fp32 rounding.
 *
 * <p>Geometry, strides and sizes are kernel arguments, so one program serves every convolution.
 * Arguments: those of the kernel's signature in {@link #source()}, in that order; launch
 * {@link #globalSize} with {@link #localSize}.
 */
public final class PatchGemm {
    /** Rows of C per work-group (output channels). */
    public static final int ROWS = 8;
    /** Column vectors per work-group. */
    public static final int SLOTS = 2;
    /** Positions per column vector. */
    public static final int LANES = 16;
    /** Columns of C per work-group (output positions). */
    public static final int COLUMNS = SLOTS * LANES;
    /** The kernel's name. */
    public static final String NAME = "arcgrad_patch_gemm";

    private PatchGemm() {
    }

    /** Work-groups: one per tile, column tiles along x, row tiles along y. */
    public static long[] globalSize(int m, int n) {
        return new long[] {(n + COLUMNS - 1) / COLUMNS, (m + ROWS - 1) / ROWS};
    }

    public static long[] localSize() {
        return new long[] {1, 1};
    }

    /** OpenCL C for the kernel. */
    public static String source() {
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        SourceWriter w = new SourceWriter();
        w.line("// arcgrad implicit GEMM: C = A * patches(X), the patch matrix read from the image where needed");
        w.line("__kernel __attribute__((reqd_work_group_size(1, 1, 1)))");
        w.open("void " + NAME + "(const int M, const int N, "
                + "const __global float* restrict A, const int aRow, const int aChannel, const int aTap, const int aBase, "
                + "const __global float* restrict X, const int xImage, const int xChannel, "
                + "const int C, const int H, const int W, const int OH, const int OW, "
                + "const int KH, const int KW, const int SH, const int SW, const int PH, const int PW, const int DH, const int DW, "
                + "__global float* restrict Cout, const int ldc, const int planes)");
        w.line("// Row tiles first: consecutive work-groups share a column tile, whose part of X stays in cache.");
        w.line("const int group = get_group_id(0) + get_group_id(1) * get_num_groups(0);");
        w.line("const int tileP = (group % get_num_groups(1)) * " + ROWS + ";");
        w.line("const int tileQ = (group / get_num_groups(1)) * " + COLUMNS + ";");
        for (int i = 0; i < ROWS; i++) {
            w.line("const int p" + i + " = tileP + " + i + ", pc" + i + " = min(p" + i + ", M - 1);");
        }
        w.line("const int HW = H * W, OHW = OH * OW, taps = KH * KW;");
        w.line("const long xEnd = (long) (C - 1) * xChannel + (long) (N / OHW - 1) * xImage + HW; // past X's last element");
        String laneOffsets = Vectors.laneIndices(LANES);
        w.line("// Per lane of each column vector: its image and the input corner of its window (past N: the last column, never stored).");
        for (int j = 0; j < SLOTS; j++) {
            w.line("const int q" + j + " = tileQ + " + j * LANES + ";");
            // min with a vector bound: Oclgrind 21.10 evaluates min(intN, int) as all zeros
            w.line("const " + ints + " pos" + j + " = min(q" + j + " + " + laneOffsets + ", (" + ints + ")(N - 1));");
            w.line("const " + ints + " n" + j + " = pos" + j + " / OHW, r" + j + " = pos" + j + " - n" + j + " * OHW;");
            w.line("const " + ints + " oy" + j + " = r" + j + " / OW, ox" + j + " = r" + j + " - oy" + j + " * OW;");
            w.line("const " + ints + " top" + j + " = oy" + j + " * SH - PH, left" + j + " = ox" + j + " * SW - PW, image" + j
                    + " = n" + j + " * xImage;");
        }
        for (int i = 0; i < ROWS; i++) {
            StringBuilder s = new StringBuilder(f).append(' ');
            for (int j = 0; j < SLOTS; j++) {
                s.append(j == 0 ? "" : ", ").append("acc").append(i).append('_').append(j).append(" = 0.0f");
            }
            w.line(s.append(';').toString());
        }
        w.open("for (int tap = 0; tap < taps; ++tap)");
        w.line("const int ky = tap / KW, kx = tap - ky * KW;");
        for (int j = 0; j < SLOTS; j++) {
            w.line("const " + ints + " iy" + j + " = top" + j + " + ky * DH, ix" + j + " = left" + j + " + kx * DW;");
            w.line("const " + ints + " inside" + j + " = (iy" + j + " >= 0) & (iy" + j + " < H) & (ix" + j + " >= 0) & (ix" + j + " < W);");
            w.line("const " + ints + " at" + j + " = image" + j + " + iy" + j + " * W + ix" + j + "; // channel 0");
            w.line("// One vector load when the lanes read consecutive addresses inside X for every channel. Every lane is compared:");
            w.line("// lanes clamped to the last column, or rows that jump, can put the last lane 15 past the first with gaps between.");
            String first = Vectors.lane(LANES, "at" + j, 0);
            String last = Vectors.lane(LANES, "at" + j, LANES - 1);
            w.line("const bool run" + j + " = all(at" + j + " == " + first + " + " + laneOffsets + ") && " + first + " >= 0 && (long) "
                    + last + " + (long) (C - 1) * xChannel < xEnd;");
            w.line("const " + ints + " safe" + j + " = select((" + ints + ")(0), at" + j + ", inside" + j + "); // padding lanes read X[0]");
        }
        w.open("for (int c = 0; c < C; ++c)");
        w.line("const int k = c * aChannel + tap * aTap + aBase, plane = c * xChannel;");
        for (int i = 0; i < ROWS; i++) {
            w.line("const float a" + i + " = A[(size_t) pc" + i + " * aRow + k];");
        }
        for (int j = 0; j < SLOTS; j++) {
            w.line(f + " b" + j + ";");
            w.open("if (run" + j + ")");
            w.line("b" + j + " = " + Vectors.load(LANES, "X + " + Vectors.lane(LANES, "at" + j, 0) + " + plane") + ";");
            w.reopen("else");
            String[] lanes = new String[LANES];
            for (int v = 0; v < LANES; v++) {
                lanes[v] = "X[" + Vectors.lane(LANES, "safe" + j, v) + " + plane]";
            }
            w.line("b" + j + " = " + Vectors.literal(lanes) + ";");
            w.close();
            w.line("b" + j + " = select((" + f + ")(0.0f), b" + j + ", inside" + j + ");");
        }
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < SLOTS; j++) {
                String acc = "acc" + i + "_" + j;
                w.line(acc + " = fma(" + Vectors.broadcast(LANES, "a" + i) + ", b" + j + ", " + acc + ");");
            }
        }
        w.close();
        w.close();
        w.line("// Planes: element (p, q) of C goes to Cout[n, p, r] for q = (n, r), an [images, M, OH, OW] tensor.");
        for (int j = 0; j < SLOTS; j++) {
            w.line("const bool whole" + j + " = q" + j + " + " + LANES + " <= N && (!planes || " + Vectors.lane(LANES, "n" + j, 0) + " == "
                    + Vectors.lane(LANES, "n" + j, LANES - 1) + ");");
            w.line("const size_t first" + j + " = planes ? (size_t) " + Vectors.lane(LANES, "n" + j, 0) + " * M * OHW + "
                    + Vectors.lane(LANES, "r" + j, 0) + " : (size_t) q" + j + ";");
        }
        w.line("const size_t rowStride = planes ? (size_t) OHW : (size_t) ldc;");
        for (int i = 0; i < ROWS; i++) {
            w.open("if (p" + i + " < M)");
            for (int j = 0; j < SLOTS; j++) {
                String acc = "acc" + i + "_" + j;
                w.open("if (whole" + j + ")");
                w.line("vstore" + LANES + "(" + acc + ", 0, Cout + first" + j + " + p" + i + " * rowStride);");
                w.reopen("else");
                w.line("float lanes[" + LANES + "];");
                w.line("vstore" + LANES + "(" + acc + ", 0, lanes);");
                w.open("for (int v = 0; v < " + LANES + " && q" + j + " + v < N; ++v)");
                w.line("const int q = q" + j + " + v;");
                w.line("Cout[planes ? (size_t) (q / OHW) * M * OHW + (size_t) p" + i + " * OHW + q % OHW : (size_t) p" + i
                        + " * ldc + q] = lanes[v];");
                w.close();
                w.close();
            }
            w.close();
        }
        w.close();
        return w.toString();
    }
}
