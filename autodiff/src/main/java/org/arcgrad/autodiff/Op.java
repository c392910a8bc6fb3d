package org.arcgrad.autodiff;

/**
 * The closed set of primitive operations. Each constant states, in one place, its kind, its shape
 * rule, its fp64 reference evaluation and its gradient rule, written in ops of this same set. (The fourth fact, the OpenCL C rendering, lives in the kernels-opencl
 * module's rendering table, keyed by this enum, because this module must not know OpenCL.)
 *
 * <p>Conventions shared by every rule:
 * <ul>
 *   <li>Elementwise binary and ternary ops broadcast numpy-style. Their gradient rules return
 *       gradients in the node's (broadcast) shape; {@link Backward} sums them back over the
 *       broadcast axes to each input's shape, so no rule repeats that step.</li>
 *   <li>A gradient rule returns one entry per input; {@code null} means no gradient flows there
 *       (masks, labels, detached values).</li>
 *   <li>Reductions keep the reduced axis (size 1); the DSL reshapes it away when asked.</li>
 * </ul>
 */
public enum Op {
    // ---- sources -------------------------------------------------------------------------
    /** A value fed at run time (data, labels). attrs: name, shape. */
    INPUT(Kind.SOURCE, 0, ShapeRules::fromAttrs, Reference::unfed, null),
    /** A trainable value fed at run time; backends may keep it resident on the device. attrs: name, shape. */
    PARAM(Kind.SOURCE, 0, ShapeRules::fromAttrs, Reference::unfed, null),
    /** A tensor filled with one value. attrs: scalars {value}, ints = shape. */
    CONST(Kind.SOURCE, 0, ShapeRules::fromAttrs, Reference::constant, null),

    // ---- elementwise unary ---------------------------------------------------------------
    NEG(1, (a, b, c, p) -> -a,
            (n, g) -> grads(g.neg())),
    EXP(1, (a, b, c, p) -> Math.exp(a),
            (n, g) -> grads(g.mul(n))),
    LOG(1, (a, b, c, p) -> Math.log(a),
            (n, g) -> grads(g.div(n.input(0)))),
    /** d sqrt(x) = 1 / (2 sqrt(x)): infinite at 0; normalize and cosAdd clamp before they take roots. */
    SQRT(1, (a, b, c, p) -> Math.sqrt(a),
            (n, g) -> grads(g.div(n).scale(0.5))),
    /** x · k for a constant k. attrs: scalars {k}. */
    SCALE(1, (a, b, c, p) -> a * p[0],
            (n, g) -> grads(g.scale(n.attrs().scalar(0)))),
    /**
     * x ^ p for a constant exponent p. attrs: scalars {p}. x^0 is the constant 1, so its gradient
     * is 0 everywhere, x = 0 included (where p · x^(p−1) would be 0 · ∞ = NaN).
     */
    POW(1, (a, b, c, p) -> Math.pow(a, p[0]),
            (n, g) -> {
                double e = n.attrs().scalar(0);
                if (e == 0) {
                    return grads((Tensor) null);
                }
                return grads(g.mul(n.input(0).pow(e - 1)).scale(e));
            }),
    /**
     * cos x. Needed, with {@link #SIN} and {@link #ACOS}, only where an angle itself must be formed:
     * cos(m1·θ + m2) for a non-integer m1 in the combined margin head.
     */
    COS(1, (a, b, c, p) -> Math.cos(a),
            (n, g) -> grads(g.mul(n.input(0).sin()).neg())),
    /** sin x; the gradient of {@link #COS} uses it, so that −sin x keeps its relative precision near 0. */
    SIN(1, (a, b, c, p) -> Math.sin(a),
            (n, g) -> grads(g.mul(n.input(0).cos()))),
    /**
     * arccos x in [0, π]; NaN outside [−1, 1] (callers clamp first). The true derivative
     * −1 / sqrt(1 − x²) is infinite at ±1, the NaN every acos-based margin head reports; here the
     * radicand is clamped below at {@link Functional#COS_ADD_RADICAND_EPS} = 1e-12, the clamp
     * {@link Functional#cosAdd} uses, so the gradient is exact wherever 1 − x² ≥ 1e-12 and is
     * −1e6 · g closer to ±1: finite at every x in [−1, 1].
     */
    ACOS(1, (a, b, c, p) -> Math.acos(a),
            (n, g) -> grads(g.div(n.input(0).square().rsub(1)
                    .clamp(Functional.COS_ADD_RADICAND_EPS, Double.POSITIVE_INFINITY).sqrt()).neg())),
    /**
     * min(max(x, lo), hi), NaN passes through. attrs: scalars {lo, hi} (either may be infinite).
     * The gradient flows where lo ≤ x ≤ hi, bounds included (as torch.clamp does).
     */
    CLAMP(1, (a, b, c, p) -> a < p[0] ? p[0] : (a > p[1] ? p[1] : a),
            (n, g) -> {
                Tensor x = n.input(0);
                double lo = n.attrs().scalar(0);
                double hi = n.attrs().scalar(1);
                Tensor flow = g;
                if (lo != Double.NEGATIVE_INFINITY) {
                    flow = flow.mul(x.ge(lo));
                }
                if (hi != Double.POSITIVE_INFINITY) {
                    flow = flow.mul(x.le(hi));
                }
                return grads(flow);
            }),
    /** |x|. The gradient at 0 is 0 (torch's choice: sign(0) = 0). */
    ABS(1, (a, b, c, p) -> Math.abs(a),
            (n, g) -> grads(g.mul(n.input(0).gt(0).sub(n.input(0).lt(0))))),
    /** log(1 + x), accurate where 1 + x would round away x (softplus of a large negative needs it). */
    LOG1P(1, (a, b, c, p) -> Math.log1p(a),
            (n, g) -> grads(g.div(n.input(0).add(1)))),
    /** Integer labels as floats (exact up to 2²⁴ in fp32). The operand is INT; no gradient flows. */
    TO_FLOAT(1, (a, b, c, p) -> a, null),
    /** Identity forward; blocks the gradient (torch's detach). */
    DETACH(1, (a, b, c, p) -> a, (n, g) -> grads((Tensor) null)),

    // ---- elementwise binary, broadcasting ------------------------------------------------
    ADD(2, (a, b, c, p) -> a + b,
            (n, g) -> grads(g, g)),
    SUB(2, (a, b, c, p) -> a - b,
            (n, g) -> grads(g, g.neg())),
    MUL(2, (a, b, c, p) -> a * b,
            (n, g) -> grads(g.mul(n.input(1)), g.mul(n.input(0)))),
    DIV(2, (a, b, c, p) -> a / b,
            (n, g) -> {
                Tensor gb = g.div(n.input(1));
                return grads(gb, gb.mul(n).neg());
            }),
    /**
     * The larger of a and b, NaN if either is NaN (torch.maximum). At a tie the gradient is split
     * evenly, as {@link #MAX} does: it matches a central difference there.
     */
    MAXIMUM(2, (a, b, c, p) -> a > b || Double.isNaN(a) ? a : b,
            (n, g) -> tieSplit(n, g, n.input(0).gt(n.input(1)), n.input(0).lt(n.input(1)))),
    /** The smaller of a and b, NaN if either is NaN (torch.minimum); ties split the gradient evenly. */
    MINIMUM(2, (a, b, c, p) -> a < b || Double.isNaN(a) ? a : b,
            (n, g) -> tieSplit(n, g, n.input(0).lt(n.input(1)), n.input(0).gt(n.input(1)))),
    // comparisons give masks of 0.0 / 1.0; they are piecewise constant, so no gradient flows.
    GT(2, (a, b, c, p) -> a > b ? 1 : 0, null),
    GE(2, (a, b, c, p) -> a >= b ? 1 : 0, null),
    LT(2, (a, b, c, p) -> a < b ? 1 : 0, null),
    LE(2, (a, b, c, p) -> a <= b ? 1 : 0, null),
    EQ(2, (a, b, c, p) -> a == b ? 1 : 0, null),

    // ---- elementwise ternary -------------------------------------------------------------
    /** where(mask, a, b): a where mask ≠ 0, else b. The mask gets no gradient. */
    WHERE(3, (m, a, b, p) -> m != 0 ? a : b,
            (n, g) -> {
                Tensor mask = n.input(0);
                Tensor zero = n.tape().constant(0);
                return grads(null, Tensor.where(mask, g, zero), Tensor.where(mask, zero, g));
            }),

    // ---- views: no arithmetic, only a new way to index -----------------------------------
    /** Same elements, new shape. attrs: ints = target shape. */
    RESHAPE(Kind.VIEW, 1, ShapeRules::reshape, Reference::reshape,
            (n, g) -> grads(g.reshape(n.input(0).shape()))),
    /** Broadcast to a larger shape. attrs: ints = target shape. Backward sums g back to the input's shape. */
    EXPAND(Kind.VIEW, 1, ShapeRules::expand, Reference::expand,
            (n, g) -> grads(g)),
    /**
     * Swaps the last two axes. When g is a product made by this backward pass, its transpose is
     * taken as (A·B)ᵀ = Bᵀ·Aᵀ, so that the gradient of W in x·Wᵀ comes out as one product in W's
     * own layout instead of a product followed by a transposed copy.
     */
    TRANSPOSE(Kind.VIEW, 1, ShapeRules::transpose, Reference::transpose,
            (n, g) -> grads(transposeOf(g))),

    /**
     * The axes in another order: output axis i is input axis perm[i]. attrs: ints = perm. Used
     * where a product's result lies in another axis order than its readers want ([O, N, P] of a
     * convolution's product read as [N, O, P]): a view, so readers index the product directly,
     * along a contiguous last axis where the order keeps it last.
     */
    PERMUTE(Kind.VIEW, 1, ShapeRules::permute, Reference::permute,
            (n, g) -> grads(g.permute(Permutation.inverse(n.attrs().ints())))),

    // ---- reductions along one axis, keeping it with size 1 -------------------------------
    /** attrs: ints {axis}. */
    SUM(Kind.REDUCE, 1, ShapeRules::reduce, Reference::sum,
            (n, g) -> grads(g.expand(n.input(0).shape()))),
    /**
     * attrs: ints {axis}. Ties share the gradient evenly (torch.amax's choice), which matches a
     * central difference at a tie of two.
     */
    MAX(Kind.REDUCE, 1, ShapeRules::reduce, Reference::max,
            (n, g) -> {
                Tensor x = n.input(0);
                Tensor mask = x.eq(n);
                Tensor count = mask.sum(n.attrs().integer(0), true);
                return grads(mask.mul(g.div(count)));
            }),

    // ---- matrix product ------------------------------------------------------------------
    /**
     * [n, k] · [k, m] → [n, m]. When the right operand is a patch matrix (a convolution's), the
     * left operand's gradient g · patchesᵀ reads the patches recorded again from the image, so
     * that backward keeps the image (C·H·W a sample) and not the patches (KH·KW times as many
     * values): the memory of a convolution's backward is then its activations', as torch's, for one
     * more im2col pass.
     */
    MATMUL(Kind.MATMUL, 2, ShapeRules::matmul, Reference::matmul,
            (n, g) -> grads(g.matmul(recomputedPatches(n.input(1)).transpose()), n.input(0).transpose().matmul(g))),

    // ---- convolutions (see Conv2d; attrs: the geometry, then H, W, KH, KW) ---------------
    /**
     * x [N, C, H, W] ⊛ w [O, C / groups, KH, KW] → [N, O, H', W'], as torch's conv2d. Its two
     * gradients are the ops below, and theirs are convolutions again (each is the adjoint of the
     * others in one operand), so a backward pass of a backward pass stays in these three ops.
     */
    CONV2D(Kind.WINDOW, 2, ShapeRules::conv2d, Reference::conv2d,
            (n, g) -> grads(inputGradOf(n, g, n.input(1)), weightGradOf(n, n.input(0), g))),
    /** The input gradient of {@link #CONV2D}: (g [N, O, H', W'], w) → [N, C, H, W] (torch's conv_transpose2d of g). */
    CONV2D_INPUT_GRAD(Kind.WINDOW, 2, ShapeRules::conv2dInputGrad, Reference::conv2dInputGrad,
            (n, u) -> grads(convolutionOf(n, u, n.input(1)), weightGradOf(n, u, n.input(0)))),
    /** The weight gradient of {@link #CONV2D}: (x, g [N, O, H', W']) → [O, C / groups, KH, KW]. */
    CONV2D_WEIGHT_GRAD(Kind.WINDOW, 2, ShapeRules::conv2dWeightGrad, Reference::conv2dWeightGrad,
            (n, u) -> grads(inputGradOf(n, n.input(1), u), convolutionOf(n, n.input(0), u))),

    /**
     * The adjoint of {@link #IM2COL}: a patch matrix [C·KH·KW, N·H'·W'] → [N, C, H, W], each
     * element the sum of the patch elements that copy it (attrs as the convolution's). The input
     * gradient of a convolution computed as a product with the patch matrix.
     */
    COL2IM(Kind.WINDOW, 1, ShapeRules::col2im, Reference::col2im, (n, u) -> grads(patchesOf(n, u))),
    /**
     * Max pooling's selection (see {@link Pool2d}; attrs: its window): (x [N, C, H, W], v of x's
     * shape) → [N, C, H', W'], v at the winner of each window of x. Max pooling is select(x, x):
     * which element wins is piecewise constant in x, so the gradient flows through v alone, to the
     * winners, as torch routes it.
     */
    MAX_POOL2D_SELECT(Kind.WINDOW, 2, ShapeRules::maxPoolSelect, Reference::maxPoolSelect,
            (n, g) -> grads(null, scatterOf(n, n.input(0), g))),
    /** The adjoint of {@link #MAX_POOL2D_SELECT} in v: (x, g [N, C, H', W']) → x's shape, each g added at its window's winner. */
    MAX_POOL2D_SCATTER(Kind.WINDOW, 2, ShapeRules::maxPoolScatter, Reference::maxPoolScatter,
            (n, u) -> grads(null, selectOf(n, n.input(0), u))),

    // ---- indexing ------------------------------------------------------------------------
    /**
     * The patch matrix of a one-group convolution (attrs as the convolution's): x [N, C, H, W] →
     * [C·KH·KW, N·H'·W'], row (c, ky, kx) a tap, column (n, y, x) an output position, holding the
     * input under that tap of the kernel at that position, 0 in the padding. conv2d(x, w) is then
     * w reshaped to [O, C·KH·KW] times this matrix (a product the GEMM template runs); each element
     * is computed where it is read, like a view, neighbouring columns from neighbouring pixels.
     */
    IM2COL(Kind.INDEX, 1, ShapeRules::im2col, Reference::im2col, (n, g) -> grads(imagesOf(n, g))),
    /** Integer labels of shape S → float mask of shape S + [C], 1 at the label's column. attrs: ints {C}. */
    ONE_HOT(Kind.INDEX, 1, ShapeRules::oneHot, Reference::oneHot, null),
    /**
     * w[idx[i], :] for each i: rows of a matrix w [C, D] selected by integer indices idx [N] (torch's
     * index_select along 0), giving [N, D]. The gradient of w adds each row of g into the row it
     * came from, duplicates included: oneHot(idx, C)ᵀ · g.
     */
    GATHER_ROWS(Kind.INDEX, 2, ShapeRules::gatherRows, Reference::gatherRows,
            (n, g) -> grads(Functional.oneHot(n.input(1), n.input(0).shape().dim(0)).transpose().matmul(g), null)),
    /** 0, 1, ..., n − 1 as floats, computed where it is used. attrs: ints {n}. */
    ARANGE(Kind.INDEX, 0, ShapeRules::fromAttrs, Reference::arange, null),
    /**
     * Uniform in [0, 1) from the counter-based generator {@link Philox}: element i of stream s under
     * the seed (an INT scalar operand) is the first Philox-4x32-10 word of counter (i, s, 0, 0),
     * its top 24 bits times 2⁻²⁴, exact in fp32. attrs: ints = shape, scalars {stream}.
     */
    RANDOM_UNIFORM(Kind.INDEX, 1, ShapeRules::fromAttrs, Reference::randomUniform, null),
    /** Standard normal by Box–Muller from the first two words of the same draw as {@link #RANDOM_UNIFORM}. */
    RANDOM_NORMAL(Kind.INDEX, 1, ShapeRules::fromAttrs, Reference::randomNormal, null);

    /**
     * What kind of computation an op is; backends schedule by kind. WINDOW: sliding-window ops over
     * NCHW images (convolutions, pooling), where each output element reads a window of its
     * operands; like products, they read buffers and end a kernel.
     */
    public enum Kind {
        SOURCE, ELEMENTWISE, VIEW, REDUCE, MATMUL, WINDOW, INDEX
    }

    /** fp64 scalar function of an elementwise op: operands a, b, c (unused ones are 0) and the node's scalar attributes. */
    @FunctionalInterface
    public interface Pointwise {
        double apply(double a, double b, double c, double[] p);
    }

    /** Output shape from input shapes and attributes; throws IllegalArgumentException with the reason. */
    @FunctionalInterface
    public interface ShapeRule {
        Shape apply(Shape[] inputs, Attrs attrs);
    }

    /** fp64 reference evaluation of a non-elementwise op. */
    @FunctionalInterface
    public interface Evaluation {
        NDArray apply(Tensor node, NDArray[] inputs);
    }

    /** Gradient of each input given the node and the gradient g flowing into it (g has the node's shape). */
    @FunctionalInterface
    public interface GradRule {
        Tensor[] apply(Tensor node, Tensor g);
    }

    private final Kind kind;
    private final int arity;
    private final ShapeRule shapeRule;
    private final Pointwise pointwise;
    private final Evaluation evaluation;
    private final GradRule gradRule;

    Op(int arity, Pointwise pointwise, GradRule gradRule) {
        this.kind = Kind.ELEMENTWISE;
        this.arity = arity;
        this.shapeRule = ShapeRules::broadcast;
        this.pointwise = pointwise;
        this.evaluation = (node, in) -> Reference.pointwise(node, in, pointwise);
        this.gradRule = gradRule;
    }

    Op(Kind kind, int arity, ShapeRule shapeRule, Evaluation evaluation, GradRule gradRule) {
        this.kind = kind;
        this.arity = arity;
        this.shapeRule = shapeRule;
        this.pointwise = null;
        this.evaluation = evaluation;
        this.gradRule = gradRule;
    }

    public Kind kind() {
        return kind;
    }

    public int arity() {
        return arity;
    }

    public ShapeRule shapeRule() {
        return shapeRule;
    }

    /** The scalar function of an elementwise op, or null for other kinds. */
    public Pointwise pointwise() {
        return pointwise;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** The gradient rule, or null when the op passes no gradient (sources, masks, indices). */
    public GradRule gradRule() {
        return gradRule;
    }

    /**
     * The dtype operand {@code k} must have, or null when either is accepted: comparisons take
     * floats and integer labels alike (so labels compare with labels), views keep their operand's.
     */
    public DType operandType(int k) {
        if (isComparison() || kind == Kind.VIEW) {
            return null;
        }
        return switch (this) {
            case ONE_HOT, TO_FLOAT, RANDOM_UNIFORM, RANDOM_NORMAL -> DType.INT;
            case GATHER_ROWS -> k == 0 ? DType.FLOAT : DType.INT;
            default -> DType.FLOAT;
        };
    }

    /**
     * True for ops whose fp32 result is exact (no rounding): masks, selections, views, abs. Negation
     * is exact too but stays perturbed in the noise model: its perturbation stands in for the
     * rounding of the cancellations it feeds (a margin head's gradient at cos = ±1 with D = 1, which
     * the device misses by 2.4e-4 where fp64 gives 0, needs that slack).
     */
    public boolean isExact() {
        return switch (kind) {
            case ELEMENTWISE -> isComparison() || this == DETACH || this == WHERE || this == ABS
                    || this == MAXIMUM || this == MINIMUM || this == TO_FLOAT;
            case REDUCE -> this == MAX;
            case MATMUL -> false;
            case WINDOW -> this == MAX_POOL2D_SELECT; // a selection; convolutions and the scatter's overlaps add
            default -> this != RANDOM_NORMAL;
        };
    }

    /** True for comparison ops, whose result is a 0/1 mask. */
    public boolean isComparison() {
        return this == GT || this == GE || this == LT || this == LE || this == EQ;
    }

    /** Lower-case name used in dumps and error messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    // Window and patch ops with the attributes of {@code like}, another of them (the gradient rules
    // build them). Methods, not the constants themselves: an enum constant's arguments may not name
    // a later constant.
    private static Tensor convolutionOf(Tensor like, Tensor x, Tensor w) {
        return like.tape().record(CONV2D, like.attrs(), x, w);
    }

    private static Tensor inputGradOf(Tensor like, Tensor g, Tensor w) {
        return like.tape().record(CONV2D_INPUT_GRAD, like.attrs(), g, w);
    }

    private static Tensor weightGradOf(Tensor like, Tensor x, Tensor g) {
        return like.tape().record(CONV2D_WEIGHT_GRAD, like.attrs(), x, g);
    }

    /** A patch matrix recorded again from its image (see {@link #MATMUL}); any other operand as it is. */
    private static Tensor recomputedPatches(Tensor t) {
        return t.op() == IM2COL ? patchesOf(t, t.input(0)) : t;
    }

    private static Tensor patchesOf(Tensor like, Tensor x) {
        return like.tape().record(IM2COL, like.attrs(), x);
    }

    private static Tensor imagesOf(Tensor like, Tensor cols) {
        return like.tape().record(COL2IM, like.attrs(), cols);
    }

    private static Tensor selectOf(Tensor like, Tensor x, Tensor v) {
        return like.tape().record(MAX_POOL2D_SELECT, like.attrs(), x, v);
    }

    private static Tensor scatterOf(Tensor like, Tensor x, Tensor g) {
        return like.tape().record(MAX_POOL2D_SCATTER, like.attrs(), x, g);
    }

    private static Tensor transposeOf(Tensor g) {
        return g.op() == MATMUL && g.isBackward() ? g.input(1).transpose().matmul(g.input(0).transpose()) : g.transpose();
    }

    /** g where the first operand wins, g/2 at a tie, to the first; likewise for the second. */
    private static Tensor[] tieSplit(Tensor n, Tensor g, Tensor firstWins, Tensor secondWins) {
        Tensor half = g.scale(0.5).mul(n.input(0).eq(n.input(1)));
        return grads(g.mul(firstWins).add(half), g.mul(secondWins).add(half));
    }

    private static Tensor[] grads(Tensor... g) {
        return g;
    }
}
