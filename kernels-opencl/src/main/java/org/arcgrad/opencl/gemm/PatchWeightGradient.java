package org.arcgrad.opencl.gemm;

/**
 * The weight gradient of a stride-1 convolution whose output planes are as large as its input
 * planes ("same" padding: 2·PH = DH·(KH − 1), likewise along W), with no patch matrix (CPU form):
 * dW[o, c, ky, kx] = Σ over images n and positions q of g[n, o, q] · x[n, c, q + (ky·DH − PH)·W +
 * kx·DW − PW], the terms whose tap falls in the padding left out. Both g [N, O, H, W] and x
 * [N, C, H, W] are read as they are stored.
 *
 * <p>Why: the compiler's general form (the output gradient permuted to [O, N·H·W], the patch
 * matrix written by im2col, then a split-K product) wrote and read KH·KW copies of the image and
 * a copy of g for every layer: on this project's 2-core machine 23 ms for a 3×3 16 → 16 layer of
 * 256 × 28 × 28, three quarters of it moving data (the per-kernel lines of
 * {@code tools/StepProfile.java resnet 256}).
 *
 * <p>How: because output and input planes have the same width, the positions q of a plane and
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

    /**
     * x [n, c, h, w], g [n, o, h, w] (plane (image, channel) of g at image · {@code gImage} +
     * channel · {@code gChannel}: o·h·w and h·w as stored, h·w and n·h·w for the [O, N·H·W]
     * matrix a product reads), dW [o, c, kh, kw]; the geometry of {@code planes}.
     */
    public PatchWeightGradient(int n, int c, int o, SamePlanes planes, long gImage, long gChannel) {
        this.n = n;
        this.c = c;
        this.o = o;
        this.planes = planes;
        this.imagesPerBlock = Math.max(1, POSITIONS_PER_BLOCK / planes.positions());
        this.gImage = gImage;
        this.gChannel = gChannel;
    }

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
        int padH = planes.padH(), padW = planes.padW(), dilationH = planes.dilationH(), dilationW = planes.dilationW();
        int plane = h * w;
        int chunks = (plane + LANES - 1) / LANES;
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        SourceWriter s = new SourceWriter();
        s.line("// arcgrad implicit weight gradient: dW = g * patches(x)^T, summed over images and positions, no patch matrix");
        s.line("__kernel __attribute__((reqd_work_group_size(1, 1, 1)))");
        s.open("void " + name + "(__global float* restrict out, __global const float* restrict g, __global const float* restrict x)");
        s.line("const int gid = get_global_id(0);");
        int outputBlocks = (o + OUTPUTS - 1) / OUTPUTS;
        s.line("// Neighbouring work-items share their block of images (and their input channel, or their output channels).");
        s.line("const int ky = gid % " + kh + ", c = (gid / " + kh + ") % " + c + ", o0 = (gid / " + (kh * c) + ") % " + outputBlocks + " * "
                + OUTPUTS + ";");
        s.line("const int block = gid / " + (kh * c * outputBlocks) + ";");
        s.line("const " + ints + " lane = " + Vectors.laneIndices(LANES) + ";");
        s.line("// Which lanes of each chunk of the plane read x inside the image, for each kx (this work-item's ky).");
        s.line(ints + " masks[" + chunks * kw + "];");
        s.open("for (int chunk = 0; chunk < " + chunks + "; ++chunk)");
        s.line("const " + ints + " q = " + (overlapsTail(plane) ? "min(chunk * " + LANES + ", " + (plane - LANES) + ")" : "chunk * " + LANES)
                + " + lane;");
        s.line("const " + ints + " oy = q / " + w + ", ox = q - oy * " + w + ";");
        s.line("const " + ints + " iy = oy + (ky * " + dilationH + " - " + padH + ");");
        s.line("const " + ints + " rowInside = (q >= chunk * " + LANES + ") & (q < " + plane + ") & (iy >= 0) & (iy < " + h + ");");
        for (int kx = 0; kx < kw; kx++) {
            int shift = kx * dilationW - padW;
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
        long xTotal = (long) n * c * plane;
        int shiftRows = -padH * w - padW; // the address of tap (0, 0) relative to the position
        int lowest = shiftRows;
        long highest = (long) shiftRows + (long) (kh - 1) * dilationH * w + (long) (kw - 1) * dilationW + Math.max(plane, LANES);
        s.line("const long shift = (long) (ky * " + dilationH + ") * " + w + " + " + shiftRows + ";");
        s.line("const int xLast = " + (xTotal - 1) + ";");
        s.open("for (int image = block * " + imagesPerBlock + "; image < min(block * " + imagesPerBlock + " + " + imagesPerBlock + ", " + n
                + "); ++image)");
        s.line("const __global float* gp = g + (size_t) image * " + gImage + ";");
        s.line("const long xBase = ((long) image * " + c + " + c) * " + plane + " + shift;");
        s.line("// Vectors of this image that could reach past either end of x are read lane by lane.");
        s.line("const bool inside = ((long) image * " + c + " + c) * " + plane + " + " + lowest + " >= 0 && ((long) image * " + c + " + c) * "
                + plane + " + " + highest + " <= " + xTotal + ";");
        s.open("if (inside)");
        chunks(s, plane, kw, dilationW, true);
        s.reopen("else");
        chunks(s, plane, kw, dilationW, false);
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
    private static void chunks(SourceWriter s, int plane, int kw, int dilationW, boolean inside) {
        int whole = plane / LANES;
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        s.open("for (int chunk = 0; chunk < " + whole + "; ++chunk)");
        s.line("const int q0 = chunk * " + LANES + ";");
        for (int i = 0; i < OUTPUTS; i++) {
            s.line("const " + f + " g" + i + " = " + Vectors.load(LANES, "gp + gRow" + i + " + q0") + ";");
        }
        xLoads(s, "chunk", kw, dilationW, inside);
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
        xLoads(s, String.valueOf(whole), kw, dilationW, inside);
        fmas(s, kw);
        s.close();
    }

    /** x for each kx at chunk {@code chunk} (its first position q0), the lanes in the padding set to 0. */
    private static void xLoads(SourceWriter s, String chunk, int kw, int dilationW, boolean inside) {
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        for (int kx = 0; kx < kw; kx++) {
            String at = "xBase + q0 + " + kx * dilationW;
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
