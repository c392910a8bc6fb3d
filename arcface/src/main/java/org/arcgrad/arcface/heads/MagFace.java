package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.crossEntropy;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.norm;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.autodiff.Tensor;

/**
 * MagFace (Meng et al., CVPR 2021): an angular margin that grows with the feature norm, and a
 * regulariser that rewards larger norms, as the authors' code computes them
 * (IrvingMeng/MagFace, {@code MagLinear} and {@code MagLoss}):
 *
 * <pre>
 * a      = clamp(‖x‖, l_a, u_a)
 * m(a)   = (u_m − l_m) / (u_a − l_a) · (a − l_a) + l_m           (per sample; the gradient flows through it)
 * cosine = clamp(linear(normalize(x), normalize(W)), −1, 1)
 * phi    = cos(θ + m(a)) = cosine·cos m − sin θ·sin m
 * phi    = easy_margin ? where(cosine > 0, phi, cosine)
 *                      : where(cosine > cos(π − m), phi, cosine − sin(π − m)·m)
 * logits = s · (phi on the label column, cosine elsewhere)
 * loss   = cross-entropy(logits) + λ_g · mean(a / u_a² + 1 / a)
 * </pre>
 *
 * sin θ is taken as sqrt(clamp(1 − cosine², 1e-12, 1)), so the gradient stays finite at
 * |cosine| = 1, where the authors' sqrt gives NaN.
 *
 * <p>Defaults, the authors' for MS1MV2: s = 64, l_a = 10, u_a = 110, l_m = 0.45, u_m = 0.8,
 * λ_g = 35, easy margin on ({@code MagLinear}'s default). With the MLP's batch-normalised
 * embeddings (norms near √embedding, 11 at 128) use smaller bounds.
 */
public final class MagFace implements MarginHead {
    public static final double DEFAULT_S = 64;
    public static final double DEFAULT_LOWER_NORM = 10;
    public static final double DEFAULT_UPPER_NORM = 110;
    public static final double DEFAULT_LOWER_MARGIN = 0.45;
    public static final double DEFAULT_UPPER_MARGIN = 0.8;
    public static final double DEFAULT_LAMBDA_G = 35;

    private final double s;
    private final double lowerNorm;
    private final double upperNorm;
    private final double lowerMargin;
    private final double upperMargin;
    private final double lambdaG;
    private final boolean easyMargin;

    public MagFace() {
        this(DEFAULT_S, DEFAULT_LOWER_NORM, DEFAULT_UPPER_NORM, DEFAULT_LOWER_MARGIN, DEFAULT_UPPER_MARGIN, DEFAULT_LAMBDA_G, true);
    }

    /** @throws IllegalArgumentException naming the parameter out of range */
    public MagFace(double s, double lowerNorm, double upperNorm, double lowerMargin, double upperMargin, double lambdaG,
                   boolean easyMargin) {
        HeadParameters.requireScale("MagFace", s);
        HeadParameters.requireInRange("MagFace", "l_a", lowerNorm, Double.MIN_VALUE, upperNorm, "(0, u_a)",
                "the norm is clamped to [l_a, u_a] and divides the regulariser");
        HeadParameters.requireInRange("MagFace", "l_m", lowerMargin, 0, upperMargin, "[0, u_m)", "the margin grows with the norm");
        HeadParameters.requireInRange("MagFace", "u_m", upperMargin, lowerMargin, Math.PI / 2, "(l_m, π/2)",
                "cos m must stay above the 0 of an orthogonal class");
        if (!(lambdaG >= 0) || Double.isInfinite(lambdaG)) {
            throw new IllegalArgumentException("MagFace: lambda_g must be finite and >= 0, got " + lambdaG);
        }
        if (Double.isInfinite(upperNorm)) {
            throw new IllegalArgumentException("MagFace: u_a must be finite, got " + upperNorm);
        }
        this.s = s;
        this.lowerNorm = lowerNorm;
        this.upperNorm = upperNorm;
        this.lowerMargin = lowerMargin;
        this.upperMargin = upperMargin;
        this.lambdaG = lambdaG;
        this.easyMargin = easyMargin;
    }

    /** The clamped feature norm a [N, 1]. */
    private Tensor clampedNorm(Tensor x) {
        return norm(x, 1, true).clamp(lowerNorm, upperNorm);
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor m = clampedNorm(x).sub(lowerNorm).scale((upperMargin - lowerMargin) / (upperNorm - lowerNorm)).add(lowerMargin);
        Tensor cosine = linear(normalize(x), normalize(w)).clamp(-1, 1);
        Tensor phi = cosAdd(cosine, m);
        phi = easyMargin ? where(cosine.gt(0), phi, cosine)
                : where(cosine.gt(m.cos().neg()), phi, cosine.sub(m.sin().mul(m))); // cos(π − m) = −cos m, sin(π − m) = sin m
        return TargetColumn.select(labels, phi, cosine).scale(s);
    }

    /** Cross-entropy plus λ_g · mean(a / u_a² + 1 / a), the regulariser that pulls norms up. */
    @Override
    public Tensor loss(Tensor logits, Tensor x, Tensor labels) {
        Tensor a = clampedNorm(x);
        Tensor g = a.scale(1 / (upperNorm * upperNorm)).add(a.pow(-1));
        return crossEntropy(logits, labels).add(g.mean(0, false).reshape().scale(lambdaG));
    }
}
