package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * The seed's additive angular margin on a cosine, shared by {@link ArcFace} and
 * {@link SubCenterArcFace}:
 *
 * <pre>
 * phi = cos(θ + m), from the cosine without acos            (Functional.cosAdd)
 * phi = easy_margin ? where(cosine > 0, phi, cosine)
 *                   : where(cosine > th, phi, cosine − mm),  th = cos(π − m), mm = sin(π − m)·m
 * </pre>
 *
 * <p>m must lie in [0, π/2): with the margin, a sample aligned with its class (θ = 0) scores
 * cos m, and only for m &lt; π/2 is that above the 0 of a class orthogonal to it. Larger values
 * are almost always degrees given for radians.
 */
final class ArcMargin {
    private final double m;
    private final boolean easyMargin;

    ArcMargin(String head, double m, boolean easyMargin) {
        HeadParameters.requireInRange(head, "m", m, 0, Math.PI / 2, "[0, π/2) radians",
                "cos m must stay above the 0 of an orthogonal class");
        this.m = m;
        this.easyMargin = easyMargin;
    }

    double m() {
        return m;
    }

    boolean easyMargin() {
        return easyMargin;
    }

    /** cos(π − m): below it, θ + m would pass π and the seed falls back to cosine − mm. */
    double th() {
        return Math.cos(Math.PI - m);
    }

    /** sin(π − m)·m, the seed's linear fallback offset. */
    double mm() {
        return Math.sin(Math.PI - m) * m;
    }

    /** phi for every entry of {@code cosine}; the head puts it on the label column. */
    Tensor phi(Tensor cosine) {
        Tensor phi = cosAdd(cosine, m);
        return easyMargin
                ? where(cosine.gt(0), phi, cosine)
                : where(cosine.gt(th()), phi, cosine.sub(mm()));
    }
}
