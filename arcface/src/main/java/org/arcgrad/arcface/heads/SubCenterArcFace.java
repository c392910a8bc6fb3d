package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.autodiff.Tensor;

/**
 * Sub-center ArcFace (Deng et al., ECCV 2020): K centres per class; a sample's cosine to a class is
 * its largest cosine to any of that class's centres, and the seed's ArcFace margin follows.
 *
 * <pre>
 * all    = linear(normalize(x), normalize(W))          [N, C·K]
 * cosine = max over k of all viewed as [N, C, K]      [N, C]
 * output = ArcFace's margin on cosine, exactly as the seed (easy_margin, th, mm; see ArcMargin)
 * </pre>
 *
 * <p>W is [C·K, D] in class-major order: row c·K + k is centre k of class c (W viewed as
 * [C, K, D]). This is insightface's layout: recognition/SubCenter-ArcFace/train_parall.py makes
 * {@code fc7_weight} of shape (C·K, D) and takes {@code max(reshape(fc7, (-1, C, K)), axis=2)}.
 * Its default K = 3 (sample_config.py {@code loss_K}) is ours; s and m default to the seed's
 * ArcFace values (30, 0.5) rather than insightface's 64. Where two centres of a class tie for the
 * maximum, the gradient is shared evenly between them (the MAX op's rule, torch.amax's choice).
 *
 * <p>Parameters: s finite and &gt; 0; 0 ≤ m &lt; π/2; K ≥ 1 (K = 1 is ArcFace itself).
 */
public final class SubCenterArcFace implements MarginHead {
    public static final double DEFAULT_S = ArcFace.DEFAULT_S;
    public static final double DEFAULT_M = ArcFace.DEFAULT_M;
    public static final int DEFAULT_K = 3;

    private final double s;
    private final ArcMargin margin;
    private final int k;

    public SubCenterArcFace() {
        this(DEFAULT_S, DEFAULT_M, false, DEFAULT_K);
    }

    /** @throws IllegalArgumentException naming s, m or K when it is out of range */
    public SubCenterArcFace(double s, double m, boolean easyMargin, int k) {
        HeadParameters.requireScale("SubCenterArcFace", s);
        HeadParameters.requireAtLeast("SubCenterArcFace", "K", k, 1, "each class needs a centre");
        this.s = s;
        this.margin = new ArcMargin("SubCenterArcFace", m, easyMargin);
        this.k = k;
    }

    /** Sub-centres per class. */
    public int k() {
        return k;
    }

    /** @throws IllegalArgumentException when W's row count is not a multiple of K */
    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        int rows = w.shape().dim(0);
        if (rows % k != 0) {
            throw new IllegalArgumentException("SubCenterArcFace: W has " + rows + " rows, not a multiple of K = " + k
                    + " (W must be [C·K, D], row c·K + k being centre k of class c)");
        }
        int classes = rows / k;
        Tensor all = linear(normalize(x), normalize(w));
        Tensor cosine = all.reshape(x.shape().dim(0), classes, k).max(2, false);
        return TargetColumn.select(labels, margin.phi(cosine), cosine).scale(s);
    }
}
