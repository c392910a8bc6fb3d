package org.arcgrad.opencl.gemm;

import java.util.Optional;
import java.util.TreeSet;

/**
 * The geometry of a convolution whose output planes are as large as its input's phase planes:
 * at stride (SH, SW), phase (a, b) of an input plane H × W is its elements [SH·i + a, SW·j + b],
 * a plane of H/SH × W/SW, and output position (oy, ox) reads at tap (ky, kx) the element
 * [SH·(oy + dy) + a, SW·(ox + dx) + b] with a + SH·dy = ky·DH − PH and b + SW·dx = kx·DW − PW,
 * which is element (oy + dy, ox + dx) of phase (a, b), in the padding when it falls outside that
 * plane. At stride 1 there is one phase, the plane itself ("same" padding: 2·PH = DH·(KH − 1),
 * likewise along W). The positions of a plane and the addresses their taps read in a phase plane
 * are then both consecutive, which {@link PlaneConvolution} and {@link PatchWeightGradient} read as
 * vectors; at a stride above 1 they read the phases that {@link PhaseSplit} writes.
 *
 * @param h rows of an output plane (and of a phase plane)
 * @param w columns of an output plane
 */
public record SamePlanes(int h, int w, int kh, int kw, int padH, int padW, int dilationH, int dilationW, int strideH, int strideW) {

    public SamePlanes {
        if (h <= 0 || w <= 0 || strideH <= 0 || strideW <= 0 || outputs(strideH * h, kh, strideH, padH, dilationH) != h
                || outputs(strideW * w, kw, strideW, padW, dilationW) != w) {
            throw new IllegalArgumentException("output planes as large as the input's phase planes need an output size of (input size) / stride "
                    + "along each axis");
        }
    }

    /** A stride-1 geometry ("same" padding). */
    public SamePlanes(int h, int w, int kh, int kw, int padH, int padW, int dilationH, int dilationW) {
        this(h, w, kh, kw, padH, padW, dilationH, dilationW, 1, 1);
    }

    /**
     * The geometry of a convolution of input planes h × w, if its stride divides them and its
     * output planes are h / stride × w / stride.
     */
    public static Optional<SamePlanes> of(int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, int dilationH,
                                          int dilationW) {
        boolean fits = h > 0 && w > 0 && strideH > 0 && strideW > 0 && h % strideH == 0 && w % strideW == 0
                && outputs(h, kh, strideH, padH, dilationH) == h / strideH && outputs(w, kw, strideW, padW, dilationW) == w / strideW;
        return fits ? Optional.of(new SamePlanes(h / strideH, w / strideW, kh, kw, padH, padW, dilationH, dilationW, strideH, strideW))
                : Optional.empty();
    }

    /** Output size along one axis, as torch computes it; below 1 when the kernel does not fit the padded input. */
    private static long outputs(long size, int k, int stride, int pad, int dilation) {
        long span = size + 2L * pad - (long) dilation * (k - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** Positions of an output plane (and of a phase plane). */
    public int positions() {
        return h * w;
    }

    /** Whether the input is read through its phases (a stride above 1). */
    public boolean phased() {
        return strideH > 1 || strideW > 1;
    }

    /** The phase row a that kernel row ky reads. */
    public int rowPhase(int ky) {
        return Math.floorMod(ky * dilationH - padH, strideH);
    }

    /** The row offset dy, within its phase plane, that kernel row ky reads. */
    public int rowShift(int ky) {
        return Math.floorDiv(ky * dilationH - padH, strideH);
    }

    /** The phase column b that kernel column kx reads. */
    public int columnPhase(int kx) {
        return Math.floorMod(kx * dilationW - padW, strideW);
    }

    /** The column offset dx, within its phase plane, that kernel column kx reads. */
    public int columnShift(int kx) {
        return Math.floorDiv(kx * dilationW - padW, strideW);
    }

    /** The phases some tap reads, as a·SW + b in increasing order: the planes {@link PhaseSplit} writes per channel. */
    public int[] phases() {
        TreeSet<Integer> used = new TreeSet<>();
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                used.add(rowPhase(ky) * strideW + columnPhase(kx));
            }
        }
        return used.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Which of {@link #phases()} tap (ky, kx) reads. */
    public int slot(int ky, int kx) {
        return java.util.Arrays.binarySearch(phases(), rowPhase(ky) * strideW + columnPhase(kx));
    }

    /**
     * Where tap (ky, kx) reads relative to the position it serves, within one channel's phase
     * planes (a channel holds {@code phases().length} planes of {@link #positions()}).
     */
    public long tapOffset(int ky, int kx) {
        return (long) slot(ky, kx) * positions() + (long) rowShift(ky) * w + columnShift(kx);
    }
}
