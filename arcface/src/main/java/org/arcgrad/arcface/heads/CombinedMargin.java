package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.autodiff.Tensor;

/**
 * The combined margin of insightface (ArcFace paper, section 3.2, "combined margin"): the
 * multiplicative (SphereFace), additive angular (ArcFace) and additive cosine (CosFace) margins in
 * one target logit.
 *
 * <pre>
 * cosine = linear(normalize(x), normalize(W))
 * output = s · (cos(m1·θ + m2) − m3)   on each row's label column
 *          s · cosine                   elsewhere
 * </pre>
 *
 * <p>Reference: insightface's MXNet trainer, recognition/ArcFace/train.py, {@code margin_softmax}
 * ({@code t = arccos(cos_t); t = t*m1; t = t+m2; body = cos(t) - m3}), whose
 * sample_config.py {@code loss.combined} gives the defaults s = 64, m1 = 1.0, m2 = 0.3, m3 = 0.2.
 * (The ArcFace paper also reports (m1, m2, m3) = (0.9, 0.4, 0.15). insightface's current PyTorch
 * {@code CombinedMarginLoss} only implements the pure ArcFace and pure CosFace cases, and applies
 * the angular margin under no_grad.) As there, the region θ·m1 + m2 &gt; π gets no special
 * treatment: cos just continues past π (it rises again), with none of the th / mm fallback of the
 * seed's ArcFace. Unlike insightface's PyTorch head, gradients flow through the margin.
 *
 * <p>cos(m1·θ + m2) is computed from the cosine:
 * <ul>
 *   <li>m1 = 1: {@link org.arcgrad.autodiff.Functional#cosAdd}, no acos;</li>
 *   <li>integer m1 from 2 to {@value #MAX_CHEBYSHEV_M1}: T_m1(c)·cos m2 − sin θ·U_{m1−1}(c)·sin m2
 *       ({@link AngleMultiples}), no acos;</li>
 *   <li>any other m1: cos(m1·acos(clamp(c, −1, 1)) + m2), with the acos primitive.</li>
 * </ul>
 * All three keep the gradient finite at c = ±1, where the true one is infinite for m2 ≠ 0, by the
 * same 1e-12 clamp of 1 − c² (see cosAdd and {@link org.arcgrad.autodiff.Op#ACOS}).
 *
 * <p>Parameters: s finite and &gt; 0; m1 &gt; 0; 0 ≤ m2 &lt; π/2; 0 ≤ m3 &lt; cos m2 — together:
 * a sample aligned with its class (θ = 0) scores s·(cos m2 − m3), which must stay above the 0 of
 * a class orthogonal to it.
 */
public final class CombinedMargin implements MarginHead {
    public static final double DEFAULT_S = 64.0;
    public static final double DEFAULT_M1 = 1.0;
    public static final double DEFAULT_M2 = 0.3;
    public static final double DEFAULT_M3 = 0.2;
    /** Integer m1 up to this use Chebyshev polynomials (three ops a degree); larger ones use acos. */
    public static final int MAX_CHEBYSHEV_M1 = 16;

    private final double s;
    private final double m1;
    private final double m2;
    private final double m3;

    public CombinedMargin() {
        this(DEFAULT_S, DEFAULT_M1, DEFAULT_M2, DEFAULT_M3);
    }

    /** @throws IllegalArgumentException naming s, m1, m2 or m3 when it is out of range */
    public CombinedMargin(double s, double m1, double m2, double m3) {
        String head = "CombinedMargin";
        HeadParameters.requireScale(head, s);
        HeadParameters.requireInRange(head, "m1", m1, Double.MIN_VALUE, Double.POSITIVE_INFINITY, "(0, ∞)",
                "it multiplies the angle");
        HeadParameters.requireInRange(head, "m2", m2, 0, Math.PI / 2, "[0, π/2) radians",
                "cos m2 must stay above the 0 of an orthogonal class");
        HeadParameters.requireInRange(head, "m3", m3, 0, Math.cos(m2), "[0, cos m2) = [0, " + Math.cos(m2) + ")",
                "cos m2 − m3 must stay above the 0 of an orthogonal class");
        this.s = s;
        this.m1 = m1;
        this.m2 = m2;
        this.m3 = m3;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor cosine = linear(normalize(x), normalize(w));
        Tensor target = marginCosine(cosine).sub(m3);
        return TargetColumn.select(labels, target, cosine).scale(s);
    }

    /** cos(m1·θ + m2) for every entry. */
    private Tensor marginCosine(Tensor c) {
        if (m1 == Math.rint(m1) && m1 <= MAX_CHEBYSHEV_M1) {
            return AngleMultiples.cosMultipleAdd(c, (int) m1, m2);
        }
        return c.clamp(-1, 1).acos().scale(m1).add(m2).cos();
    }
}
