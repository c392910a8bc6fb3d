package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tensor;

/**
 * SphereFace (A-Softmax, Liu et al., CVPR 2017): a multiplicative angular margin cos(mθ) for an
 * integer m, made monotone in θ, blended with the plain cosine by the annealing weight λ, and
 * scaled by the feature norm (x is not normalised; the rows of W are).
 *
 * <pre>
 * cosine = clamp(linear(normalize(x), normalize(W)), −1, 1)
 * k      = floor(mθ/π) = #{ j in 1..m : cosine ≤ cos(jπ/m) }     (comparison masks, no acos)
 * ψ      = (−1)^k · T_m(cosine) − 2k                              (T_m(cos θ) = cos(mθ), Chebyshev)
 * λ      = max(5, 1000 · (1 + 0.12 · iter)^−1)
 * output = ‖x‖ · (λ·cosine + ψ) / (1 + λ)   on each row's label column
 *          ‖x‖ · cosine                      elsewhere
 * </pre>
 *
 * <p>Reference: {@code SphereProduct} of ronghuaiyang/arcface-pytorch (the seed's repository: W
 * is C × D, both sides F.normalize'd, cosine clamped to [−1, 1] for its acos, output =
 * (one_hot·(ψ − cos)/(1 + λ) + cos)·‖x‖). Its forward is the formula of the paper authors' Caffe
 * layer, wy1iu/sphereface {@code MarginInnerProductLayer} (type QUADRUPLE, ψ from sign masks of
 * cos θ and 2cos²θ − 1; base 1000, gamma 0.12, power 1, lambda_min 5 in sphereface_model.prototxt;
 * W [C, D] with rows normalised). clcarwin/sphereface_pytorch {@code AngleLinear}/{@code AngleLoss}
 * differs (W stored D × C, λ = max(5, 1500 / (1 + 0.1·iter))) and is not followed. Where this
 * head differs from SphereProduct, and why:
 * <ul>
 *   <li>k comes from comparisons of the cosine with cos(jπ/m), not from acos and a floor with
 *       π ≈ 3.14159265. The two differ only when the cosine sits exactly on some cos(jπ/m), and
 *       there ψ is continuous (both k give the same value), so the logits agree.</li>
 *   <li>{@code iter} is the value put into the formula. The references add 1 to their counter
 *       before each forward pass, so their n-th pass (counting from 1) uses iter = n.</li>
 *   <li>‖x‖ is max(‖x‖, 1e-12), the floor {@link Functional#normalize} uses, so ‖x‖ · normalize(x)
 *       is x again and a zero x gives zero logits and finite gradients.</li>
 *   <li>Gradients are the exact derivatives of this forward formula (k is piecewise constant, as
 *       in the PyTorch reference, which takes θ from detached data). The Caffe layer's
 *       hand-written backward rescales the target column's x- and w-directions to unit length,
 *       which is not a derivative; it is not copied. ψ is C¹ in θ (its derivative is 0 on both
 *       sides of every k switch), so the gradient has no jump there.</li>
 * </ul>
 *
 * <p>Parameters: m an integer ≥ 1 (m = 1 is the plain normalised-weight softmax; the references
 * tabulate T_m up to m = 4 or 5, the recurrence has no such limit); iter ≥ 0.
 */
public final class SphereFace implements MarginHead {
    public static final int DEFAULT_M = 4;
    /** λ = max(LAMBDA_MIN, LAMBDA_BASE · (1 + LAMBDA_GAMMA · iter)^−LAMBDA_POWER), the references' schedule. */
    public static final double LAMBDA_BASE = 1000.0;
    public static final double LAMBDA_GAMMA = 0.12;
    public static final double LAMBDA_POWER = 1.0;
    public static final double LAMBDA_MIN = 5.0;

    private final int m;
    private final long iter;
    private final double lambda;

    /** m = 4, iter = 0 (λ = 1000). */
    public SphereFace() {
        this(DEFAULT_M, 0);
    }

    /** @throws IllegalArgumentException naming m or iter when it is out of range */
    public SphereFace(int m, long iter) {
        HeadParameters.requireAtLeast("SphereFace", "m", m, 1, "the margin multiplies the angle");
        HeadParameters.requireAtLeast("SphereFace", "iter", iter, 0, "the annealing iteration counts from 0");
        this.m = m;
        this.iter = iter;
        this.lambda = lambda(iter);
    }

    /** The annealing weight at iteration {@code iter}: max(5, 1000 · (1 + 0.12 · iter)^−1). */
    public static double lambda(long iter) {
        return Math.max(LAMBDA_MIN, LAMBDA_BASE * Math.pow(1 + LAMBDA_GAMMA * iter, -LAMBDA_POWER));
    }

    /** This head's λ. */
    public double lambda() {
        return lambda;
    }

    public int m() {
        return m;
    }

    public long iter() {
        return iter;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        Tensor cosine = linear(normalize(x), normalize(w)).clamp(-1, 1);
        Tensor target = cosine.scale(lambda).add(psi(cosine)).scale(1 / (1 + lambda));
        return TargetColumn.select(labels, target, cosine).mul(featureNorm(x));
    }

    /**
     * ψ = (−1)^k·T_m(c) − 2k with k = Σ_j mask_j, mask_j = [c ≤ cos(jπ/m)]. The masks are nested
     * (mask_j implies every mask before it), so k mod 2 = Σ_j (−1)^(j+1)·mask_j and the sign
     * (−1)^k = 1 − 2·Σ_j (−1)^(j+1)·mask_j is linear in the masks, as cheap as k itself.
     */
    private Tensor psi(Tensor c) {
        Tensor k = null;
        Tensor odd = null;
        for (int j = 1; j <= m; j++) {
            Tensor mask = c.le(Math.cos(j * Math.PI / m));
            k = k == null ? mask : k.add(mask);
            odd = odd == null ? mask : (j % 2 == 1 ? odd.add(mask) : odd.sub(mask));
        }
        Tensor sign = odd.scale(-2).add(1);
        return sign.mul(AngleMultiples.cosMultiple(c, m)).sub(k.scale(2));
    }

    /** ‖x‖ per row, [N, 1], floored at normalize's eps. */
    private static Tensor featureNorm(Tensor x) {
        double eps = Functional.NORMALIZE_EPS;
        return x.square().sum(-1, true).clamp(eps * eps, Double.POSITIVE_INFINITY).sqrt();
    }
}
