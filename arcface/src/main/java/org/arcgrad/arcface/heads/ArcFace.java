package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.oneHot;
import static org.arcgrad.autodiff.Functional.where;

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
 * where on the one-hot mask, which equals the seed's arithmetic blend value for value. Unlike the
 * seed, whose sine has an infinite derivative at cos = ±1, the gradient is finite everywhere (see
 * {@link org.arcgrad.autodiff.Functional#cosAdd}).
 */
public final class ArcFace implements MarginHead {
    public static final double DEFAULT_S = 30.0;
    public static final double DEFAULT_M = 0.50;

    private final double s;
    private final double m;
    private final boolean easyMargin;

    public ArcFace() {
        this(DEFAULT_S, DEFAULT_M, false);
    }

    public ArcFace(double s, double m, boolean easyMargin) {
        this.s = s;
        this.m = m;
        this.easyMargin = easyMargin;
    }

    /** cos(π − m): below it, θ + m would pass π and the seed falls back to cosine − mm. */
    public double th() {
        return Math.cos(Math.PI - m);
    }

    /** sin(π − m)·m, the seed's linear fallback offset. */
    public double mm() {
        return Math.sin(Math.PI - m) * m;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor cosine = linear(normalize(x), normalize(w));
        Tensor phi = cosAdd(cosine, m);
        phi = easyMargin
                ? where(cosine.gt(0), phi, cosine)
                : where(cosine.gt(th()), phi, cosine.sub(mm()));
        Tensor target = oneHot(labels, w.shape().dim(0));
        return where(target, phi, cosine).scale(s);
    }
}
