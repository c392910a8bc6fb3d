package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.autodiff.Tensor;

/**
 * CosFace (large margin cosine loss, Wang et al., CVPR 2018): an additive cosine margin.
 *
 * <pre>
 * cosine = linear(normalize(x), normalize(W))
 * output = s · (cosine − m)   on each row's label column
 *          s · cosine         elsewhere
 * </pre>
 *
 * It follows {@code AddMarginProduct} of ronghuaiyang/arcface-pytorch, the seed's own repository
 * (same W layout C × D, same F.normalize, same defaults s = 30, m = 0.40). insightface's
 * {@code CosFace} computes the same logits with defaults s = 64, m = 0.40 (its configs use 0.35).
 *
 * <p>Parameters: s finite and &gt; 0; 0 ≤ m &lt; 1: a sample aligned with its class (θ = 0) then
 * scores s·(1 − m), still above the 0 of a class orthogonal to it.
 */
public final class CosFace implements MarginHead {
    public static final double DEFAULT_S = 30.0;
    public static final double DEFAULT_M = 0.40;

    private final double s;
    private final double m;

    public CosFace() {
        this(DEFAULT_S, DEFAULT_M);
    }

    /** @throws IllegalArgumentException naming s or m when it is out of range */
    public CosFace(double s, double m) {
        HeadParameters.requireScale("CosFace", s);
        HeadParameters.requireInRange("CosFace", "m", m, 0, 1, "[0, 1)",
                "1 − m must stay above the 0 of an orthogonal class");
        this.s = s;
        this.m = m;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor cosine = linear(normalize(x), normalize(w));
        return TargetColumn.select(labels, cosine.sub(m), cosine).scale(s);
    }
}
