package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.autodiff.Tensor;

/**
 * ArcFace (additive angular margin, Deng et al., CVPR 2019) with exactly the semantics of the
 * seed's PyTorch head:
 *
 * <pre>
 * cosine = linear(normalize(x), normalize(W))
 * phi    = cos(θ + m), from cosine without acos            (Functional.cosAdd)
 * phi    = easy_margin ? where(cosine > 0, phi, cosine)
 *                      : where(cosine > th, phi, cosine − mm),  th = cos(π − m), mm = sin(π − m)·m
 * output = s · (one_hot · phi + (1 − one_hot) · cosine)
 * </pre>
 *
 * The target column takes phi and every other column the plain cosine; this is written as a
 * where on the one-hot mask ({@link TargetColumn}), which equals the seed's arithmetic blend value
 * for value. Unlike the seed, whose sine has an infinite derivative at cos = ±1, the gradient is
 * finite everywhere (see {@link org.arcgrad.autodiff.Functional#cosAdd}).
 *
 * <p>Parameters: s finite and &gt; 0; 0 ≤ m &lt; π/2 (see {@link ArcMargin} for why).
 */
public final class ArcFace implements MarginHead {
    public static final double DEFAULT_S = 30.0;
    public static final double DEFAULT_M = 0.50;

    private final double s;
    private final ArcMargin margin;

    public ArcFace() {
        this(DEFAULT_S, DEFAULT_M, false);
    }

    /** @throws IllegalArgumentException naming s or m when it is out of range */
    public ArcFace(double s, double m, boolean easyMargin) {
        HeadParameters.requireScale("ArcFace", s);
        this.s = s;
        this.margin = new ArcMargin("ArcFace", m, easyMargin);
    }

    /** cos(π − m): below it, θ + m would pass π and the seed falls back to cosine − mm. */
    public double th() {
        return margin.th();
    }

    /** sin(π − m)·m, the seed's linear fallback offset. */
    public double mm() {
        return margin.mm();
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor cosine = linear(normalize(x), normalize(w));
        return TargetColumn.select(labels, margin.phi(cosine), cosine).scale(s);
    }
}
