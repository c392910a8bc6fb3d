package org.arcgrad.autodiff;

/**
 * Composite operations, written in primitives so that every gradient and every kernel comes from
 * the one op set: normalize, linear, cosAdd, one-hot and gather, log-sum-exp, log-softmax and
 * cross-entropy. Import statically: {@code import static org.arcgrad.autodiff.Functional.*;}.
 */
public final class Functional {
    /** Default eps of {@link #normalize}, as torch.nn.functional.normalize. */
    public static final double NORMALIZE_EPS = 1e-12;

    /**
     * Lower clamp of the radicand 1 − c² in {@link #cosAdd}: the sine is computed as
     * sqrt(clamp(1 − c², 1e-12, 1)), so the gradient d cosAdd / dc never exceeds
     * cos m + sin m / sqrt(1e-12) = cos m + 10⁶ sin m in magnitude.
     */
    public static final double COS_ADD_RADICAND_EPS = 1e-12;

    private Functional() {
    }

    /** a where mask ≠ 0, else b (all three broadcast). */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return Tensor.where(mask, a, b);
    }

    public static Tensor where(Tensor mask, Tensor a, double b) {
        return Tensor.where(mask, a, mask.tape().constant(b));
    }

    public static Tensor where(Tensor mask, double a, Tensor b) {
        return Tensor.where(mask, mask.tape().constant(a), b);
    }

    /**
     * max(x, 0), with gradient 0 at 0 (torch's choice). NaN passes through, as torch.relu: a
     * NaN turned into 0 here would hide a diverged network from a check of its loss.
     */
    public static Tensor relu(Tensor x) {
        return where(x.le(0), 0.0, x);
    }

    /**
     * L2-normalises along {@code axis}: x / max(‖x‖, eps), as torch.nn.functional.normalize. Written
     * as x · clamp(Σx², eps², ∞)^(-1/2) so that a zero row gets a finite gradient instead of
     * 0 · ∞ = NaN: the derivative of x / eps, i.e. the upstream gradient divided by eps (torch's
     * value as well).
     */
    public static Tensor normalize(Tensor x, int axis, double eps) {
        Tensor sumSquares = x.square().sum(axis, true);
        return x.mul(sumSquares.clamp(eps * eps, Double.POSITIVE_INFINITY).pow(-0.5));
    }

    /** {@link #normalize(Tensor, int, double)} along the last axis with eps 1e-12. */
    public static Tensor normalize(Tensor x) {
        return normalize(x, -1, NORMALIZE_EPS);
    }

    /** x · Wᵀ: x is [N, D], W is [C, D] (torch.nn.functional.linear's layout), the result [N, C]. */
    public static Tensor linear(Tensor x, Tensor w) {
        return x.matmul(w.transpose());
    }

    /** x · Wᵀ + b, with b of shape [C]. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(x, w).add(b);
    }

    /**
     * cos(θ + m) from c = cos θ, without acos: c·cos m − sqrt(1 − c²)·sin m, for θ in [0, π].
     *
     * <p>The radicand 1 − c² is clamped to [{@link #COS_ADD_RADICAND_EPS}, 1] before the square
     * root. For 1 − c² ≥ 1e-12 the gradient is the exact derivative cos m + c·sin m / sqrt(1 − c²);
     * closer to c = ±1, where the true derivative goes to infinity, the clamped sine is constant,
     * so the gradient is cos m. It is finite at every c in [−1, 1] (and beyond, where rounding
     * puts a normalised cosine).
     */
    public static Tensor cosAdd(Tensor c, double m) {
        return cosAdd(c, m, COS_ADD_RADICAND_EPS);
    }

    /** {@link #cosAdd(Tensor, double)} with a chosen radicand clamp {@code eps}. */
    public static Tensor cosAdd(Tensor c, double m, double eps) {
        Tensor sine = c.square().rsub(1).clamp(eps, 1).sqrt();
        return c.scale(Math.cos(m)).sub(sine.scale(Math.sin(m)));
    }

    /** One-hot float mask of integer {@code labels}: shape labels.shape + [classes]. */
    public static Tensor oneHot(Tensor labels, int classes) {
        return labels.tape().record(Op.ONE_HOT, Attrs.ints(classes), labels);
    }

    /** x[..., labels[...]]: the label column of each row of x; x is labels.shape + [C]. */
    public static Tensor gather(Tensor x, Tensor labels) {
        int classAxis = x.shape().rank() - 1;
        return x.mul(oneHot(labels, x.shape().dim(classAxis))).sum(classAxis, false);
    }

    /** log Σ exp(x) along {@code axis}, shifted by the (detached) maximum so exp never overflows. */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepdim) {
        Tensor m = x.max(axis, true).detach();
        Tensor lse = x.sub(m).exp().sum(axis, true).log().add(m);
        int a = axis < 0 ? axis + x.shape().rank() : axis;
        return keepdim ? lse : lse.reshape(x.shape().without(a));
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.sub(logSumExp(x, axis, true));
    }

    public static Tensor softmax(Tensor x, int axis) {
        return logSoftmax(x, axis).exp();
    }

    /**
     * Mean softmax cross-entropy of logits [N, C] against integer labels [N]:
     * mean over rows of logSumExp(row) − row[label], as torch.nn.functional.cross_entropy.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        if (logits.shape().rank() != 2 || labels.shape().rank() != 1 || labels.shape().dim(0) != logits.shape().dim(0)) {
            throw logits.tape().shapeError("crossEntropy", "needs logits [N, C] and labels [N]", logits, labels);
        }
        return logSumExp(logits, 1, false).sub(gather(logits, labels)).mean();
    }
}
