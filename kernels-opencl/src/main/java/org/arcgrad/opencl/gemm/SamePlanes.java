package org.arcgrad.opencl.gemm;

import java.util.Optional;

/**
 * The geometry of a stride-1 convolution whose output planes are as large as its input planes
 * ("same" padding: 2·PH = DH·(KH − 1), likewise along W). The positions of a plane and the
 * addresses their taps read are then both consecutive, which {@link PlaneConvolution} and
 * {@link PatchWeightGradient} read as vectors.
 *
 * @param h rows of a plane (input and output)
 * @param w columns of a plane
 */
public record SamePlanes(int h, int w, int kh, int kw, int padH, int padW, int dilationH, int dilationW) {

    public SamePlanes {
        if (h <= 0 || w <= 0 || 2 * padH != dilationH * (kh - 1) || 2 * padW != dilationW * (kw - 1)) {
            throw new IllegalArgumentException("output planes as large as the input's need 2·padding = dilation·(kernel − 1) along each axis");
        }
    }

    /** The geometry of a convolution of planes h × w, if it has stride 1 and keeps its planes' size. */
    public static Optional<SamePlanes> of(int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, int dilationH,
                                          int dilationW) {
        boolean same = strideH == 1 && strideW == 1 && 2 * padH == dilationH * (kh - 1) && 2 * padW == dilationW * (kw - 1) && h > 0
                && w > 0;
        return same ? Optional.of(new SamePlanes(h, w, kh, kw, padH, padW, dilationH, dilationW)) : Optional.empty();
    }

    /** Positions of a plane. */
    public int positions() {
        return h * w;
    }
}
