package org.arcgrad.autodiff;

/**
 * Composite operations, written in primitives so that every gradient and every kernel comes from
 * the one op set: normalize, linear, cosAdd, one-hot and gather, log-sum-exp, log-softmax,
 * cross-entropy, softplus, norms and moments. A shape error inside one names the composite the
 * user called and its arguments' shapes. Import statically: {@code import static org.arcgrad.autodiff.Functional.*;}.
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
        return x.tape().composite("relu", () -> where(x.le(0), 0.0, x), x);
    }

    /**
     * L2-normalises along {@code axis}: x / max(‖x‖, eps), as torch.nn.functional.normalize. Written
     * as x · clamp(Σx², eps², ∞)^(-1/2) so that a zero row gets a finite gradient instead of
     * 0 · ∞ = NaN: the derivative of x / eps, i.e. the upstream gradient divided by eps (torch's
     * value as well).
     */
    public static Tensor normalize(Tensor x, int axis, double eps) {
        return x.tape().composite("normalize", () -> {
            Tensor sumSquares = x.square().sum(axis, true);
            return x.mul(sumSquares.clamp(eps * eps, Double.POSITIVE_INFINITY).pow(-0.5));
        }, x);
    }

    /** {@link #normalize(Tensor, int, double)} along the last axis with eps 1e-12. */
    public static Tensor normalize(Tensor x) {
        return normalize(x, -1, NORMALIZE_EPS);
    }

    /** x · Wᵀ: x is [N, D], W is [C, D] (torch.nn.functional.linear's layout), the result [N, C]. */
    public static Tensor linear(Tensor x, Tensor w) {
        return x.tape().composite("linear", () -> x.matmul(w.transpose()), x, w);
    }

    /** x · Wᵀ + b, with b of shape [C]. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return x.tape().composite("linear", () -> linear(x, w).add(b), x, w, b);
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

    /**
     * cos(θ + m) for a margin tensor {@code m} (one per row, say, broadcast against c): as
     * {@link #cosAdd(Tensor, double)}, with the same radicand clamp; the gradient reaches m too.
     */
    public static Tensor cosAdd(Tensor c, Tensor m) {
        return c.tape().composite("cosAdd", () -> {
            Tensor sine = c.square().rsub(1).clamp(COS_ADD_RADICAND_EPS, 1).sqrt();
            return c.mul(m.cos()).sub(sine.mul(m.sin()));
        }, c, m);
    }

    /** {@link #cosAdd(Tensor, double)} with a chosen radicand clamp {@code eps}. */
    public static Tensor cosAdd(Tensor c, double m, double eps) {
        return c.tape().composite("cosAdd", () -> {
            Tensor sine = c.square().rsub(1).clamp(eps, 1).sqrt();
            return c.scale(Math.cos(m)).sub(sine.scale(Math.sin(m)));
        }, c);
    }

    /** One-hot float mask of integer {@code labels}: shape labels.shape + [classes]. */
    public static Tensor oneHot(Tensor labels, int classes) {
        return labels.tape().record(Op.ONE_HOT, Attrs.ints(classes), labels);
    }

    /** x[..., labels[...]]: the label column of each row of x; x is labels.shape + [C]. */
    public static Tensor gather(Tensor x, Tensor labels) {
        return x.tape().composite("gather", () -> {
            int classAxis = x.shape().rank() - 1;
            return x.mul(oneHot(labels, x.shape().dim(classAxis))).sum(classAxis, false);
        }, x, labels);
    }

    /**
     * Rows of {@code w} [C, D] selected by the integer indices {@code idx} [N], giving [N, D]
     * (torch.index_select(w, 0, idx)). The gradient of w adds each row back where it came from,
     * repeated indices adding up.
     */
    public static Tensor gatherRows(Tensor w, Tensor idx) {
        return w.tape().composite("gatherRows", () -> w.tape().record(Op.GATHER_ROWS, Attrs.NONE, w, idx), w, idx);
    }

    /**
     * Average pooling of x [N, C, H, W] over the windows of {@code window}, as
     * torch.nn.functional.avg_pool2d with its defaults (count_include_pad: a window reaching into
     * the padding still divides by KH·KW): a depthwise convolution with the constant weights
     * 1 / (KH·KW), so its kernels and gradient are the convolution's.
     */
    public static Tensor avgPool2d(Tensor x, Pool2d window) {
        return x.tape().composite("avgPool2d", () -> {
            if (x.shape().rank() != 4) {
                throw new IllegalArgumentException("avgPool2d: the input must be [N, C, H, W] (rank 4), got " + x.shape());
            }
            int channels = x.shape().dim(1);
            Tensor weights = x.tape().full(Shape.of(channels, 1, window.kernelH(), window.kernelW()),
                    1.0 / (window.kernelH() * window.kernelW()));
            return x.conv2d(weights, new Conv2d(window.strideH(), window.strideW(), window.padH(), window.padW(), 1, 1, channels));
        }, x);
    }

    /** The mean of each channel of x [N, C, H, W] over its H×W positions: [N, C] (torch's adaptive_avg_pool2d to 1×1, flattened). */
    public static Tensor globalAvgPool2d(Tensor x) {
        return x.tape().composite("globalAvgPool2d", () -> {
            if (x.shape().rank() != 4) {
                throw new IllegalArgumentException("globalAvgPool2d: the input must be [N, C, H, W] (rank 4), got " + x.shape());
            }
            Shape s = x.shape();
            return x.reshape(s.dim(0), s.dim(1), s.dim(2) * s.dim(3)).sum(2, false).scale(1.0 / (s.dim(2) * s.dim(3)));
        }, x);
    }

    /** log Σ exp(x) along {@code axis}, shifted by the (detached) maximum so exp never overflows. */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepdim) {
        return x.tape().composite("logSumExp", () -> {
            Tensor m = x.max(axis, true).detach();
            Tensor lse = x.sub(m).exp().sum(axis, true).log().add(m);
            int a = axis < 0 ? axis + x.shape().rank() : axis;
            return keepdim ? lse : lse.reshape(x.shape().without(a));
        }, x);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.tape().composite("logSoftmax", () -> x.sub(logSumExp(x, axis, true)), x);
    }

    public static Tensor softmax(Tensor x, int axis) {
        return x.tape().composite("softmax", () -> logSoftmax(x, axis).exp(), x);
    }

    /** log(1 + x), accurate where x is small (see {@link Tensor#log1p}). */
    public static Tensor log1p(Tensor x) {
        return x.log1p();
    }

    /**
     * log(1 + exp(x)), finite and accurate over the whole fp32 range: max(x, 0) + log1p(exp(−|x|)),
     * so exp never overflows (softplus(1e4) = 1e4, softplus(−1e4) = 0 with no Inf or NaN, where
     * log(exp(x) + 1) is Infinity in fp32 above 88.7). The gradient is sigmoid(x), 1/2 at 0 (the
     * tie of max(x, 0) splits it, and −|x| contributes 0 there).
     */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1);
    }

    /**
     * log(1 + exp(β·x)) / β, as torch.nn.functional.softplus(x, beta) but without its linear
     * cut-off at β·x > 20: written max(x, 0) + log1p(exp(−β·|x|)) / β, so β·x is never formed and
     * cannot overflow either.
     */
    public static Tensor softplus(Tensor x, double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw x.tape().shapeError("softplus", "beta must be positive and finite, got " + beta, x);
        }
        return x.tape().composite("softplus", () -> x.maximum(0).add(x.abs().scale(-beta).exp().log1p().scale(1 / beta)), x);
    }

    /** log(sigmoid(x)) = −softplus(−x): finite for every x. */
    public static Tensor logSigmoid(Tensor x) {
        return x.tape().composite("logSigmoid", () -> softplus(x.neg()).neg(), x);
    }

    /**
     * The L2 norm along {@code axis}. Its gradient x / ‖x‖ is taken as 0 where x is all zeros (the
     * subgradient torch returns too), not 0/0.
     */
    public static Tensor norm(Tensor x, int axis, boolean keepdim) {
        return x.tape().composite("norm", () -> safeSqrt(x.square().sum(axis, keepdim)), x);
    }

    /**
     * The variance along {@code axis}: the mean squared deviation from the mean, divided by n − 1
     * when {@code unbiased} (Bessel's correction, torch's default), else by n.
     */
    public static Tensor variance(Tensor x, int axis, boolean unbiased, boolean keepdim) {
        return x.tape().composite("variance", () -> {
            int a = axis < 0 ? axis + x.shape().rank() : axis;
            int n = a >= 0 && a < x.shape().rank() ? x.shape().dim(a) : 0;
            if (unbiased && n == 1) {
                throw x.tape().shapeError("variance", "the unbiased variance of one value along axis " + axis + " is 0/0", x);
            }
            Tensor deviation = x.sub(x.mean(axis, true));
            return deviation.square().sum(axis, keepdim).scale(1.0 / (unbiased ? n - 1 : n));
        }, x);
    }

    /** The standard deviation: sqrt of {@link #variance}, with gradient 0 (not 0/0) where all values are equal. */
    public static Tensor std(Tensor x, int axis, boolean unbiased, boolean keepdim) {
        return x.tape().composite("std", () -> safeSqrt(variance(x, axis, unbiased, keepdim)), x);
    }

    /**
     * sqrt(s) for s ≥ 0 whose gradient at s = 0 is 0 (a distance between equal vectors, say): the
     * root is taken of 1 there and masked out, so no 0 · ∞.
     */
    public static Tensor safeSqrt(Tensor s) {
        Tensor positive = s.gt(0);
        return where(positive, where(positive, s, 1.0).sqrt(), 0.0);
    }

    /**
     * Mean softmax cross-entropy of logits [N, C] against integer labels [N]:
     * mean over rows of logSumExp(row) − row[label], as torch.nn.functional.cross_entropy.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        if (logits.shape().rank() != 2 || labels.shape().rank() != 1 || labels.shape().dim(0) != logits.shape().dim(0)) {
            throw logits.tape().shapeError("crossEntropy", "needs logits [N, C] and labels [N]", logits, labels);
        }
        return logits.tape().composite("crossEntropy", () -> logSumExp(logits, 1, false).sub(gather(logits, labels)).mean(),
                logits, labels);
    }
}
