package org.arcgrad.opencl.gemm;

import java.util.ArrayList;
import java.util.List;

/**
 * A convolution's product over positions for a convolution whose output planes are as large as its
 * input's phase planes ({@link SamePlanes}: at stride 1 "same" padding), the patch matrix never
 * stored (CPU form): out[n, p, q] = Σ over channels c and taps (ky, kx) of A(p, c, tap) ·
 * X[n, c, q + (ky·DH − PH)·W + kx·DW − PW] at stride 1, the terms whose tap falls in the padding
 * left out. The forward product of such a convolution (A the weights [O, C·KH·KW], X the image,
 * out the [O, N·H·W] product) and its stride-1 input gradient (A the weights transposed and
 * flipped, X the output gradient as [O, N·H·W], out the [N, C, H, W] image; the flipped taps of a
 * "same" convolution are again "same") take this form. At a stride above 1, the forward product
 * reads X's phase planes ({@link PhaseSplit}), each tap one phase at a fixed offset; the input
 * gradient ({@link #inputGradient}) sums, for each phase of the image, the output gradient over
 * the taps that read that phase, shifted back, and stores each result at its place in the image.
 * The strides of A ({@code aRow, aChannel, aTap, aBase}, as {@link PatchGemm} takes them), of X's
 * planes and of out's planes are compiled in with the sizes.
 *
 * <p>Why: {@link PatchGemm} serves every geometry, its lanes running across images and rows, so it
 * works out per tap where each lane reads and tests per channel whether they are consecutive. Here
 * the positions of a plane and their taps' addresses are both consecutive, as in
 * {@link PatchWeightGradient}: a vector of {@value #LANES} positions of one image reads
 * {@value #LANES} consecutive floats of X at every tap and channel, and the test whether a tap's
 * vectors stay inside X is made once per tap, outside the loop over channels. On this project's
 * 2-core machine a 3×3 16 → 16 layer of 256 × 28 × 28 took 4.2 ms this way against 8.5 for
 * {@code PatchGemm} (the per-kernel lines of {@code tools/StepProfile.java resnet 256}); at stride
 * 2, 16 → 32 from 28×28, 3.5 ms and 1.7 for the phases against 7.4 for {@code PatchGemm}, and the
 * input gradient 5.8–6.7 ms against 8.1 for the product and col2im.
 *
 * <p>How: a work-item owns {@value #ROWS} rows of out and {@value #SLOTS} vectors of positions of
 * one image (and one phase of the image, for a strided input gradient); a plane's last, partial
 * vector is read as its last {@value #LANES} positions and only the positions no other vector
 * holds are stored. Each tap's padding mask is worked out per tap; the channels then only move the
 * addresses. At stride 1 the taps run in a loop; at a stride above 1 they are unrolled, their
 * planes and offsets compiled in. Summing over taps, then channels, orders the additions
 * differently from a plain GEMM: the same value up to fp32 rounding.
 */
public final class PlaneConvolution {
    /** Rows of out per work-item. */
    public static final int ROWS = 8;
    /** Vectors of positions per work-item. */
    public static final int SLOTS = 2;
    /** Positions per vector. */
    public static final int LANES = 16;

    private final int n;
    private final int channels;
    private final int m;
    private final SamePlanes planes;
    private final int[] aStrides;
    private final long[] xStrides;
    private final long[] outStrides;
    /** null at stride 1 (the taps in a loop); else, for each phase of the output, the taps it sums (unrolled). */
    private final List<List<Tap>> taps;
    /** Whether out's planes are the SH·h × SW·w planes whose phases the groups of {@link #taps} write. */
    private final boolean scatter;

    /**
     * One tap as a phased product reads it: its index in A, the row and column offsets of the
     * element it reads in X's plane, and that element's address relative to the position.
     */
    private record Tap(int index, int dy, int dx, long offset) {
    }

    /**
     * {@code n} images of {@code channels} planes in X, out's {@code m} rows, the geometry of
     * {@code planes}; A(p, c, tap) at p·aRow + c·aChannel + tap·aTap + aBase ({@code aStrides});
     * plane (image, channel) of X at image·xStrides[0] + channel·xStrides[1], plane (image, row) of
     * out at image·outStrides[0] + row·outStrides[1]. At a stride above 1, X holds the phase planes
     * of the images ({@link PhaseSplit}), a channel's planes one after another.
     */
    public PlaneConvolution(int n, int channels, int m, SamePlanes planes, int[] aStrides, long[] xStrides, long[] outStrides) {
        this(n, channels, m, planes, aStrides, xStrides, outStrides, planes.phased() ? List.of(forwardTaps(planes)) : null, false);
    }

    private PlaneConvolution(int n, int channels, int m, SamePlanes planes, int[] aStrides, long[] xStrides, long[] outStrides,
                             List<List<Tap>> taps, boolean scatter) {
        if (!fits(planes)) {
            throw new IllegalArgumentException("a plane convolution needs planes of at least " + LANES + " positions");
        }
        this.n = n;
        this.channels = channels;
        this.m = m;
        this.planes = planes;
        this.aStrides = aStrides.clone();
        this.xStrides = xStrides.clone();
        this.outStrides = outStrides.clone();
        this.taps = taps;
        this.scatter = scatter;
    }

    /**
     * The input gradient of a strided convolution of geometry {@code planes} (stride above 1): X
     * the output gradient G ({@code channels} = O planes of h × w per image), A the weights
     * [O, C·KH·KW] read as A(c, o, tap) ({@code aStrides}), out the [N, C, SH·h, SW·w] image
     * gradient ({@code m} = C rows). Phase (a, b) of the image gradient sums, over the taps that
     * read that phase, G shifted back by the tap's offsets: a stride-1 plane sum per phase, its
     * results stored lane by lane at their places in the image. A phase that no tap reads is 0.
     */
    public static PlaneConvolution inputGradient(int n, int channels, int m, SamePlanes planes, int[] aStrides, long[] xStrides,
                                                 long[] outStrides) {
        if (!planes.phased()) {
            throw new IllegalArgumentException("a stride-1 input gradient is the plane convolution of the flipped weights");
        }
        List<List<Tap>> byPhase = new ArrayList<>();
        for (int phase = 0; phase < planes.strideH() * planes.strideW(); phase++) {
            List<Tap> group = new ArrayList<>();
            for (int ky = 0; ky < planes.kh(); ky++) {
                for (int kx = 0; kx < planes.kw(); kx++) {
                    if (planes.rowPhase(ky) * planes.strideW() + planes.columnPhase(kx) == phase) {
                        int dy = -planes.rowShift(ky), dx = -planes.columnShift(kx);
                        group.add(new Tap(ky * planes.kw() + kx, dy, dx, (long) dy * planes.w() + dx));
                    }
                }
            }
            byPhase.add(List.copyOf(group));
        }
        return new PlaneConvolution(n, channels, m, planes, aStrides, xStrides, outStrides, List.copyOf(byPhase), true);
    }

    /** Every tap of a phased forward product, reading X's phase planes. */
    private static List<Tap> forwardTaps(SamePlanes planes) {
        List<Tap> all = new ArrayList<>();
        for (int ky = 0; ky < planes.kh(); ky++) {
            for (int kx = 0; kx < planes.kw(); kx++) {
                all.add(new Tap(ky * planes.kw() + kx, planes.rowShift(ky), planes.columnShift(kx), planes.tapOffset(ky, kx)));
            }
        }
        return List.copyOf(all);
    }

    /** Whether a convolution that keeps its planes takes this form: planes of at least {@value #LANES} positions. */
    public static boolean fits(SamePlanes planes) {
        return planes.positions() >= LANES;
    }

    private int groupsOfPositions() {
        return (planes.positions() + SLOTS * LANES - 1) / (SLOTS * LANES);
    }

    private int rowBlocks() {
        return (m + ROWS - 1) / ROWS;
    }

    /** Output phases, each its own work-items: one, unless the output is scattered. */
    private int outputPhases() {
        return scatter ? taps.size() : 1;
    }

    /** Work-items, one per block of rows, vectors of positions, image and output phase; work-groups of one. */
    public long[] globalSize() {
        return new long[] {(long) n * groupsOfPositions() * rowBlocks() * outputPhases()};
    }

    public long[] localSize() {
        return new long[] {1};
    }

    /** OpenCL C of kernel {@code name}(out, A, X). */
    public String source(String name) {
        int h = planes.h(), w = planes.w(), kh = planes.kh(), kw = planes.kw();
        int padH = planes.padH(), padW = planes.padW(), dilationH = planes.dilationH(), dilationW = planes.dilationW();
        int plane = h * w;
        int span = SLOTS * LANES;
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        // the last channel's planes end X: one plane (G, when scattering), or its phase planes
        long xTotal = (long) (n - 1) * xStrides[0] + (long) (channels - 1) * xStrides[1] + (long) (scatter ? 1 : planes.phases().length) * plane;
        SourceWriter s = new SourceWriter();
        s.line("// arcgrad plane convolution: out = A * patches(X) for a convolution whose output planes are its input's phase planes, no patch matrix");
        s.line("__kernel __attribute__((reqd_work_group_size(1, 1, 1)))");
        s.open("void " + name + "(__global float* restrict out, __global const float* restrict A, __global const float* restrict X)");
        s.line("const int gid = get_global_id(0);");
        s.line("// Neighbouring work-items read the same positions of X for other rows of out.");
        s.line("const int rows = gid % " + rowBlocks() + " * " + ROWS + ", first = (gid / " + rowBlocks() + ") % " + groupsOfPositions() + " * "
                + span + ", image = gid / " + rowBlocks() * groupsOfPositions() + " % " + n + ";");
        if (scatter) {
            s.line("const int phase = gid / " + (long) rowBlocks() * groupsOfPositions() * n + "; // of the output, a * " + planes.strideW()
                    + " + b");
        }
        s.line("const " + ints + " lane = " + Vectors.laneIndices(LANES) + ";");
        s.line("// A plane's last vector holds its last " + LANES + " positions; each vector stores the positions from its own start on.");
        for (int j = 0; j < SLOTS; j++) {
            s.line("const int q0_" + j + " = min(first + " + j * LANES + ", " + (plane - LANES) + ");");
            s.line("const " + ints + " q" + j + " = q0_" + j + " + lane;");
            s.line("const " + ints + " oy" + j + " = q" + j + " / " + w + ", ox" + j + " = q" + j + " - oy" + j + " * " + w + ";");
        }
        for (int i = 0; i < ROWS; i++) {
            StringBuilder acc = new StringBuilder(f).append(' ');
            for (int j = 0; j < SLOTS; j++) {
                acc.append(j == 0 ? "" : ", ").append("acc").append(i).append('_').append(j).append(" = (").append(f).append(")(0.0f)");
            }
            s.line(acc.append(';').toString());
            s.line("const __global float* a" + i + " = A + (long) min(rows + " + i + ", " + (m - 1) + ") * " + aStrides[0] + " + " + aStrides[3]
                    + "; // past the last row: computed, not stored");
        }
        s.line("const long base = (long) image * " + xStrides[0] + ";");
        if (taps != null) {
            // each tap reads one plane at a fixed offset: the taps unrolled, their offsets compiled in
            for (int phase = 0; phase < taps.size(); phase++) {
                s.open(scatter ? "if (phase == " + phase + ")" : "");
                for (Tap t : taps.get(phase)) {
                    s.open("");
                    tap(s, xTotal, String.valueOf(t.index()), String.valueOf(t.dy()), String.valueOf(t.dx()), String.valueOf(t.offset()));
                    s.close();
                }
                s.close();
            }
        } else {
            s.open("for (int ky = 0; ky < " + kh + "; ++ky)");
            s.open("for (int kx = 0; kx < " + kw + "; ++kx)");
            String dy = "(ky * " + dilationH + " - " + padH + ")", dx = "(kx * " + dilationW + " - " + padW + ")";
            tap(s, xTotal, "ky * " + kw + " + kx", dy, dx, "(long) " + dy + " * " + w + " + " + dx);
            s.close();
            s.close();
        }
        for (int i = 0; i < ROWS; i++) {
            s.open("if (rows + " + i + " < " + m + ")");
            for (int j = 0; j < SLOTS; j++) {
                String acc = "acc" + i + "_" + j;
                s.line("__global float* o" + i + "_" + j + " = out + (long) image * " + outStrides[0] + " + (long) (rows + " + i + ") * "
                        + outStrides[1] + (scatter ? "" : " + q0_" + j) + ";");
                if (scatter) {
                    // position (oy, ox) of phase (a, b) is element (SH·oy + a, SW·ox + b) of out's plane
                    s.line("float lanes" + j + "[" + LANES + "];");
                    s.line("vstore" + LANES + "(" + acc + ", 0, lanes" + j + ");");
                    s.open("for (int v = first + " + j * LANES + " - q0_" + j + "; v < " + LANES + "; ++v)");
                    s.line("const int q = q0_" + j + " + v, oy = q / " + w + ", ox = q - oy * " + w + ";");
                    s.line("o" + i + "_" + j + "[(" + planes.strideH() + " * oy + phase / " + planes.strideW() + ") * " + (long) planes.strideW() * w
                            + " + " + planes.strideW() + " * ox + phase % " + planes.strideW() + "] = lanes" + j + "[v];");
                    s.close();
                    continue;
                }
                s.open("if (q0_" + j + " == first + " + j * LANES + ")");
                s.line("vstore" + LANES + "(" + acc + ", 0, o" + i + "_" + j + ");");
                s.reopen("else");
                s.line("float lanes[" + LANES + "];");
                s.line("vstore" + LANES + "(" + acc + ", 0, lanes);");
                s.line("for (int v = first + " + j * LANES + " - q0_" + j + "; v < " + LANES + "; ++v) o" + i + "_" + j + "[v] = lanes[v];");
                s.close();
            }
            s.close();
        }
        s.close();
        return s.toString();
    }

    /**
     * One tap: its padding masks and addresses, then the loop over channels, with vector loads where
     * none of its vectors can reach past either end of X. The C expressions: the tap's index in A,
     * its row and column offsets in the plane it reads, and its address relative to the position.
     */
    private void tap(SourceWriter s, long xTotal, String tap, String dy, String dx, String shift) {
        String ints = "int" + LANES;
        s.line("const int tap = " + tap + ";");
        s.line("const long shift = " + shift + ";");
        for (int j = 0; j < SLOTS; j++) {
            s.line("const " + ints + " iy" + j + " = oy" + j + " + " + dy + ", ix" + j + " = ox" + j + " + " + dx + ";");
            s.line("const " + ints + " inside" + j + " = (iy" + j + " >= 0) & (iy" + j + " < " + planes.h() + ") & (ix" + j + " >= 0) & (ix" + j
                    + " < " + planes.w() + ");");
            s.line("const long at" + j + " = base + q0_" + j + " + shift; // channel 0");
        }
        s.line("// Vectors that could reach past either end of X, at any channel, are read lane by lane.");
        s.line("const bool whole = at0 >= 0 && at" + (SLOTS - 1) + " + " + LANES + " + " + (long) (channels - 1) * xStrides[1] + " <= " + xTotal
                + ";");
        s.open("if (whole)");
        channelLoop(s, xTotal, true);
        s.reopen("else");
        channelLoop(s, xTotal, false);
        s.close();
    }

    /** The loop over channels at one tap; {@code whole}: vector loads of X, else lane by lane. */
    private void channelLoop(SourceWriter s, long xTotal, boolean whole) {
        String f = Vectors.type(LANES);
        String ints = "int" + LANES;
        s.open("for (int c = 0; c < " + channels + "; ++c)");
        s.line("const long k = (long) c * " + aStrides[1] + " + (long) tap * " + aStrides[2] + ";");
        for (int i = 0; i < ROWS; i++) {
            s.line("const float a" + i + "k = a" + i + "[k];");
        }
        s.line("const long plane = (long) c * " + xStrides[1] + ";");
        for (int j = 0; j < SLOTS; j++) {
            String load;
            if (whole) {
                load = Vectors.load(LANES, "X + at" + j + " + plane");
            } else {
                // addresses clamped into X (those lanes are in the padding, masked); vector bounds, as Oclgrind 21.10
                // evaluates min/max/clamp of a vector and a scalar as zeros
                s.line("const " + ints + " index" + j + " = clamp((int) (at" + j + " + plane) + lane, (" + ints + ")(0), (" + ints + ")("
                        + (xTotal - 1) + "));");
                String[] lanes = new String[LANES];
                for (int v = 0; v < LANES; v++) {
                    lanes[v] = "X[" + Vectors.lane(LANES, "index" + j, v) + "]";
                }
                load = Vectors.literal(lanes);
            }
            s.line("const " + f + " x" + j + " = select((" + f + ")(0.0f), " + load + ", inside" + j + ");");
        }
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < SLOTS; j++) {
                String acc = "acc" + i + "_" + j;
                s.line(acc + " = fma(" + Vectors.broadcast(LANES, "a" + i + "k") + ", x" + j + ", " + acc + ");");
            }
        }
        s.close();
    }
}
