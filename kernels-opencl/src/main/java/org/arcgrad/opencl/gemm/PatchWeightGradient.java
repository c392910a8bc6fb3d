package org.arcgrad.opencl.gemm;

/**
 * The weight gradient of a convolution whose output planes are as large as its input's phase
 * planes ({@link SamePlanes}; at stride 1 "same" padding: 2·PH = DH·(KH − 1), likewise along W),
 * with no patch matrix (CPU form): dW[o, c, ky, kx] = Σ over images n and positions q of
 * g[n, o, q] · x[n, c, q + (ky·DH − PH)·W + kx·DW − PW] at stride 1, the terms whose tap falls in
 * the padding left out. Both g [N, O, H, W] and x [N, C, H, W] are read as they are stored; at a
 * stride above 1, x is the image's phase planes ({@link PhaseSplit}), tap (ky, kx) reading one of
 * them at a fixed offset.
 *
 * <p>Why: the compiler's general form (the output gradient permuted to [O, N·H·W], the patch
 * matrix written by im2col, then a split-K product) wrote and read KH·KW copies of the image and
 * a copy of g for every layer: on this project's 2-core machine 23 ms for a 3×3 16 → 16 layer of
 * 256 × 28 × 28, three quarters of it moving data (the per-kernel lines of
 * {@code tools/StepProfile.java resnet 256}).
 *
 * <p>How: because output planes and the planes x is read from (the image, or its phases) have the same width, the positions q of a plane and
 * their taps' addresses in x are both consecutive, so a vector of {@value #LANES} positions reads
 * {@value #LANES} consecutive floats of g and of x, whatever rows it spans; only which lanes fall
 * in the padding depends on the position, and that is worked out once per work-item into a table
 * of masks (by chunk of the plane and kx). A work-item owns {@value #OUTPUTS} output channels, one
 * input channel and one kernel row ky, and keeps one vector accumulator per output channel and
 * kx: for every image and chunk, {@value #OUTPUTS} loads of g and KW loads of x feed
 * {@value #OUTPUTS}·KW fused multiply-adds. Its images run in order, so the planes it reads stay
 * in cache for the work-items of neighbouring ky and c. The lanes are summed pairwise at the end,
 * so the terms are added in another order than a GEMM's: the same value up to fp32 rounding.
 * Lanes past the plane's end (its last chunk) read g as 0; a tap in the padding multiplies its g
 * by 0 as the patch matrix's zero would (so an infinite g gives NaN there, as it does in the
 * product). Sizes are compiled in.
 */
public final class PatchWeightGradient {
    /** Positions per vector. */
    public static final int LANES = 16;
    /** Output channels per work-item. */
    public static final int OUTPUTS = 8;
    /**
     * Positions per block of images (whole images: at least one): each block sums into a partial dW
     * of its own, so that the planes a block reads stay in cache, and the lanes are summed once per
     * block. Sixteen images of 28×28 (on 2 PoCL cores, 4.5 ms for a 16 → 16 layer of 256 images,
     * against 12 in one block); 256 of 7×7, whose work-items would otherwise spend as long summing
     * their lanes as accumulating them.
     */
    public static final int POSITIONS_PER_BLOCK = 16 * 28 * 28;

    private final int n;
    private final int c;
    private final int o;
    private final SamePlanes planes;
    private final int imagesPerBlock;
    private final long gImage;
    private final long gChannel;
    private final long xOffset;

    /**
     * x [n, c, h, w], g [n, o, h, w] (plane (image, channel) of g at image · {@code gImage} +
     * channel · {@code gChannel}: o·h·w and h·w as stored, h·w and n·h·w for the [O, N·H·W]
     * matrix a product reads), dW [o, c, kh, kw]; the geometry of {@code planes}.
     */
    public PatchWeightGradient(int n, int c, int o, SamePlanes planes, long gImage, long gChannel) {
        this(n, c, o, planes, gImage, gChannel, 0);
    }

    /**
     * As above, x's planes starting {@code xOffset} floats into the buffer the kernel is given (a
     * region of the scratch buffer). At a stride above 1, x is the image's phase planes
     * [n, c, phases, h, w] ({@link PhaseSplit}).
     */
    public PatchWeightGradient(int n, int c, int o, SamePlanes planes, long gImage, long gChannel, long xOffset) {
        this.n = n;
        this.c = c;
        this.o = o;
        this.planes = planes;
        this.imagesPerBlock = Math.max(1, POSITIONS_PER_BLOCK / planes.positions());
        this.gImage = gImage;
        this.gChannel = gChannel;
        this.xOffset = xOffset;
    }

    /**
     * Whether a convolution of this geometry takes this form rather than im2col and a split-K
     * product: always at stride 1, where im2col writes KH·KW copies of the image; at a stride
     * above 1, where it writes only KH·KW / (SH·SW) copies and the phases must be written first,
     * only for kernels wider than one column over output planes of at least
     * {@value #PHASED_POSITIONS} positions. Measured on this project's 2-core machine (256 images,
     * fastest of 7 runs, phases and permute included): a 3×3 16 → 32 layer of 28×28 at stride 2
     * took 6.2 ms against 8.1 for im2col and the product; 32 → 64 of 14×14 took 5.9 against 5.3,
     * and a 1×1 16 → 32 of 28×28 1.7 against 1.3.
     */
    public static boolean fits(SamePlanes planes) {
        return !planes.phased() || planes.kw() > 1 && planes.positions() >= PHASED_POSITIONS;
    }

    /** The fewest output positions per plane for which a strided weight gradient reads the image's phases. */
    public static final int PHASED_POSITIONS = 128;

    /** Work-items, one per block of output channels, input channel and kernel row; work-groups of one. */
    public long[] globalSize() {
        return new long[] {(long) blocks() * ((o + OUTPUTS - 1) / OUTPUTS) * c * planes.kh()};
    }

    /** Blocks of images, each summed into a partial dW of its own: the first blocks' partials, then the rest. */
    public int blocks() {
        return (n + imagesPerBlock - 1) / imagesPerBlock;
    }

    public long[] localSize() {
        return new long[] {1};
    }

    /** OpenCL C of kernel {@code name}(out = dW, g, x). */
    public String source(String name) {
        int h = planes.h(), w = planes.w(), kh = planes.kh(), kw = planes.kw();
        int plane = h * w;
        int chunks = (plane + LANES - 1) / LANES;
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        SourceWriter s = new SourceWriter();
        s.line("// arcgrad implicit weight gradient: dW = g * patches(x)^T, summed over images and positions, no patch matrix");
        s.line("__kernel __attribute__((reqd_work_group_size(1, 1, 1)))");
        String xParameter = xOffset == 0 ? "x" : "xBuffer";
        s.open("void " + name + "(__global float* restrict out, __global const float* restrict g, __global const float* restrict " + xParameter
                + ")");
        if (xOffset != 0) {
            s.line("const __global float* restrict x = xBuffer + " + xOffset + "; // x's region of the buffer");
        }
        s.line("const int gid = get_global_id(0);");
        int outputBlocks = (o + OUTPUTS - 1) / OUTPUTS;
        s.line("// Neighbouring work-items share their block of images (and their input channel, or their output channels).");
        s.line("const int ky = gid % " + kh + ", c = (gid / " + kh + ") % " + c + ", o0 = (gid / " + (kh * c) + ") % " + outputBlocks + " * "
                + OUTPUTS + ";");
        s.line("const int block = gid / " + (kh * c * outputBlocks) + ";");
        s.line("const " + ints + " lane = " + Vectors.laneIndices(LANES) + ";");
        s.line("// This work-item's kernel row: its row offset in the plane it reads, and each kx's address relative to the position.");
        s.line("const int dy = " + byRow(kh, ky -> planes.rowShift(ky)) + ";");
        for (int kx = 0; kx < kw; kx++) {
            int column = kx;
            s.line("const long shift" + kx + " = " + byRow(kh, ky -> planes.tapOffset(ky, column)) + ";");
        }
        s.line("// Which lanes of each chunk of the plane read x inside the image, for each kx.");
        s.line(ints + " masks[" + chunks * kw + "];");
        s.open("for (int chunk = 0; chunk < " + chunks + "; ++chunk)");
        s.line("const " + ints + " q = " + (overlapsTail(plane) ? "min(chunk * " + LANES + ", " + (plane - LANES) + ")" : "chunk * " + LANES)
                + " + lane;");
        s.line("const " + ints + " oy = q / " + w + ", ox = q - oy * " + w + ";");
        s.line("const " + ints + " iy = oy + dy;");
        s.line("const " + ints + " rowInside = (q >= chunk * " + LANES + ") & (q < " + plane + ") & (iy >= 0) & (iy < " + h + ");");
        for (int kx = 0; kx < kw; kx++) {
            int shift = planes.columnShift(kx);
            s.line("masks[chunk * " + kw + " + " + kx + "] = rowInside & (ox >= " + -shift + ") & (ox < " + (w - shift) + ");");
        }
        s.close();
        for (int i = 0; i < OUTPUTS; i++) {
            StringBuilder acc = new StringBuilder(f).append(' ');
            for (int kx = 0; kx < kw; kx++) {
                acc.append(kx == 0 ? "" : ", ").append("acc").append(i).append('_').append(kx).append(" = 0.0f");
            }
            s.line(acc.append(';').toString());
            s.line("const size_t gRow" + i + " = (size_t) min(o0 + " + i + ", " + (o - 1) + ") * " + gChannel + "; // past O: computed, not stored");
        }
        long channelPlanes = (long) planes.phases().length * plane; // a channel of x: its plane, or its phase planes
        long xTotal = (long) n * c * channelPlanes;
        long lowest = Long.MAX_VALUE, highest = Long.MIN_VALUE; // the addresses taps read relative to the position
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                lowest = Math.min(lowest, planes.tapOffset(ky, kx));
                highest = Math.max(highest, planes.tapOffset(ky, kx) + Math.max(plane, LANES));
            }
        }
        s.line("const int xLast = " + (xTotal - 1) + ";");
        s.open("for (int image = block * " + imagesPerBlock + "; image < min(block * " + imagesPerBlock + " + " + imagesPerBlock + ", " + n
                + "); ++image)");
        s.line("const __global float* gp = g + (size_t) image * " + gImage + ";");
        s.line("const long xBase = ((long) image * " + c + " + c) * " + channelPlanes + ";");
        s.line("// Vectors of this image that could reach past either end of x are read lane by lane.");
        s.line("const bool inside = xBase + " + lowest + " >= 0 && xBase + " + highest + " <= " + xTotal + ";");
        s.open("if (inside)");
        chunks(s, plane, kw, true);
        s.reopen("else");
        chunks(s, plane, kw, false);
        s.close();
        s.close();
        s.line("// Each accumulator's lanes summed pairwise.");
        for (int i = 0; i < OUTPUTS; i++) {
            s.open("if (o0 + " + i + " < " + o + ")");
            for (int kx = 0; kx < kw; kx++) {
                pairwiseSum(s, "acc" + i + "_" + kx, "sum" + i + "_" + kx);
                s.line("out[(size_t) block * " + (long) o * c * kh * kw + " + ((size_t) (o0 + " + i + ") * " + c + " + c) * " + kh * kw + " + ky * " + kw + " + " + kx + "] = sum" + i + "_"
                        + kx + ";");
            }
            s.close();
        }
        s.close();
        return s.toString();
    }

    /**
     * Whether the plane's last, partial chunk is read as the last {@value #LANES} positions, the
     * lanes already counted masked: vector loads of g and x instead of lane by lane. Planes of
     * fewer positions read theirs lane by lane.
     */
    private static boolean overlapsTail(int plane) {
        return plane % LANES != 0 && plane > LANES;
    }

    /**
     * The plane's chunks of one image: the whole chunks in a loop, then the partial one;
     * {@code inside}: vector loads of x, else lane by lane.
     */
    private static void chunks(SourceWriter s, int plane, int kw, boolean inside) {
        int whole = plane / LANES;
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        s.open("for (int chunk = 0; chunk < " + whole + "; ++chunk)");
        s.line("const int q0 = chunk * " + LANES + ";");
        for (int i = 0; i < OUTPUTS; i++) {
            s.line("const " + f + " g" + i + " = " + Vectors.load(LANES, "gp + gRow" + i + " + q0") + ";");
        }
        xLoads(s, "chunk", kw, inside);
        fmas(s, kw);
        s.close();
        if (plane % LANES == 0) {
            return;
        }
        s.open("");
        if (overlapsTail(plane)) {
            s.line("// The partial chunk: the plane's last " + LANES + " positions, those of the previous chunk read as g = 0.");
            s.line("const int q0 = " + (plane - LANES) + ";");
            s.line("const " + ints + " fresh = lane >= " + (LANES - plane % LANES) + ";");
            for (int i = 0; i < OUTPUTS; i++) {
                s.line("const " + f + " g" + i + " = select((" + f + ")(0.0f), " + Vectors.load(LANES, "gp + gRow" + i + " + q0") + ", fresh);");
            }
        } else {
            s.line("// The plane's only chunk: lanes past its end read g as 0.");
            s.line("const int q0 = 0;");
            s.line("const " + ints + " fresh = lane < " + plane + ";");
            s.line("const " + ints + " at = min(lane, (" + ints + ")(" + (plane - 1) + "));");
            for (int i = 0; i < OUTPUTS; i++) {
                s.line("const " + f + " g" + i + " = select((" + f + ")(0.0f), " + gather(f, "gp + gRow" + i, "at") + ", fresh);");
            }
        }
        xLoads(s, String.valueOf(whole), kw, inside);
        fmas(s, kw);
        s.close();
    }

    /** x for each kx at chunk {@code chunk} (its first position q0), the lanes in the padding set to 0. */
    private static void xLoads(SourceWriter s, String chunk, int kw, boolean inside) {
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        for (int kx = 0; kx < kw; kx++) {
            String at = "xBase + q0 + shift" + kx;
            // lane by lane: addresses clamped into x (those lanes are in the padding, masked below); vector bounds, as
            // Oclgrind 21.10 evaluates min/max/clamp of a vector and a scalar as zeros
            String load = inside ? Vectors.load(LANES, "x + " + at)
                    : gather(f, "x", "clamp((int) (" + at + ") + lane, (" + ints + ")(0), (" + ints + ")(xLast))");
            s.line("const " + f + " x" + kx + " = select((" + f + ")(0.0f), " + load + ", masks[" + chunk + " * " + kw + " + " + kx + "]);");
        }
    }

    private static void fmas(SourceWriter s, int kw) {
        for (int i = 0; i < OUTPUTS; i++) {
            for (int kx = 0; kx < kw; kx++) {
                String acc = "acc" + i + "_" + kx;
                s.line(acc + " = fma(g" + i + ", x" + kx + ", " + acc + ");");
            }
        }
    }

    /** A C expression of ky: {@code value(ky)} for this work-item's kernel row, as a chain of conditionals. */
    private static String byRow(int kh, java.util.function.IntToLongFunction value) {
        StringBuilder b = new StringBuilder();
        for (int ky = 0; ky < kh - 1; ky++) {
            b.append("ky == ").append(ky).append(" ? ").append(value.applyAsLong(ky)).append(" : ");
        }
        return b.append(value.applyAsLong(kh - 1)).toString();
    }

    /** A vector of {@code base[index.sN]} for each lane. */
    private static String gather(String type, String base, String index) {
        String[] lanes = new String[LANES];
        for (int v = 0; v < LANES; v++) {
            lanes[v] = "(" + base + ")[" + Vectors.lane(LANES, index, v) + "]";
        }
        return Vectors.literal(lanes);
    }

    /**
     * Declares {@code name}, the sum of {@code vector}'s lanes, halves added until one lane is left:
     * through a private array, as {@code KernelRenderer}'s row reductions combine their lanes, since
     * Oclgrind takes the halves of a float16 (.lo/.hi) for partly uninitialized values.
     */
    private static void pairwiseSum(SourceWriter s, String vector, String name) {
        String lanes = name + "_lanes";
        s.line("float " + lanes + "[" + LANES + "];");
        s.line("vstore" + LANES + "(" + vector + ", 0, " + lanes + ");");
        s.line("for (int width = " + LANES / 2 + "; width >= 1; width /= 2) for (int v = 0; v < width; ++v) " + lanes + "[v] += " + lanes
                + "[v + width];");
        s.line("const float " + name + " = " + lanes + "[0];");
    }
}
