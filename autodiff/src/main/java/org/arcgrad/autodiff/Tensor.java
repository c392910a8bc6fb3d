package org.arcgrad.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A node on a {@link Tape}, and the handle users write expressions with. Every method records one
 * op (or a few, for composites) on the tape and checks shapes at once: a mismatch throws a
 * {@link ShapeException} naming the op, the shapes and the line of the user's code.
 */
public final class Tensor {
    private final Tape tape;
    private final int id;
    private final Op op;
    private final Shape shape;
    private final DType dtype;
    private final Tensor[] inputs;
    private final Attrs attrs;
    private final String site;
    private final boolean backward;

    Tensor(Tape tape, int id, Op op, Shape shape, DType dtype, Tensor[] inputs, Attrs attrs, String site, boolean backward) {
        this.tape = tape;
        this.id = id;
        this.op = op;
        this.shape = shape;
        this.dtype = dtype;
        this.inputs = inputs;
        this.attrs = attrs;
        this.site = site;
        this.backward = backward;
    }

    // ---- what the node is ------------------------------------------------------------------

    public Tape tape() {
        return tape;
    }

    /** Position on the tape: nodes are numbered in creation order, inputs before their users. */
    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int arity() {
        return inputs.length;
    }

    public Tensor input(int i) {
        return inputs[i];
    }

    public Attrs attrs() {
        return attrs;
    }

    /** Name of an input or parameter; null for other nodes. */
    public String name() {
        return attrs.name();
    }

    /** Where in the user's code this node was created, as "Class.method(File.java:line)". */
    public String site() {
        return site;
    }

    /** True when {@link Tape#grad} created this node as part of a backward pass. */
    public boolean isBackward() {
        return backward;
    }

    /** One line: "%id = op shape (inputs) attrs", the format of graph dumps. */
    public String describe() {
        StringBuilder b = new StringBuilder("%").append(id).append(" = ").append(op.label());
        if (dtype == DType.INT) {
            b.append(" int");
        }
        b.append(' ').append(shape);
        if (inputs.length > 0) {
            b.append(" (");
            for (int i = 0; i < inputs.length; i++) {
                b.append(i == 0 ? "" : ", ").append('%').append(inputs[i].id);
            }
            b.append(')');
        }
        String a = op == Op.CONST ? String.valueOf(attrs.scalar(0)) : (op.kind() == Op.Kind.SOURCE ? '"' + attrs.name() + '"' : attrsText());
        if (!a.isEmpty()) {
            b.append(' ').append(a);
        }
        return b.toString();
    }

    private String attrsText() {
        if (op == Op.RESHAPE || op == Op.EXPAND) {
            return "to " + Arrays.toString(attrs.ints());
        }
        if (op.kind() == Op.Kind.REDUCE) {
            return "axis " + attrs.integer(0);
        }
        if (op == Op.ONE_HOT) {
            return "classes " + attrs.integer(0);
        }
        return attrs.scalars().length > 0 ? Arrays.toString(attrs.scalars()) : "";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- elementwise arithmetic --------------------------------------------------------------

    public Tensor add(Tensor o) {
        return tape.record(Op.ADD, Attrs.NONE, this, o);
    }

    public Tensor add(double v) {
        return v == 0 ? this : add(tape.constant(v));
    }

    public Tensor sub(Tensor o) {
        return tape.record(Op.SUB, Attrs.NONE, this, o);
    }

    public Tensor sub(double v) {
        return v == 0 ? this : sub(tape.constant(v));
    }

    /** v − this. */
    public Tensor rsub(double v) {
        return tape.constant(v).sub(this);
    }

    public Tensor mul(Tensor o) {
        return tape.record(Op.MUL, Attrs.NONE, this, o);
    }

    /** Same as {@link #scale}. */
    public Tensor mul(double v) {
        return scale(v);
    }

    public Tensor div(Tensor o) {
        return tape.record(Op.DIV, Attrs.NONE, this, o);
    }

    public Tensor div(double v) {
        return scale(1.0 / v);
    }

    public Tensor neg() {
        return tape.record(Op.NEG, Attrs.NONE, this);
    }

    /** this · k for a constant k. */
    public Tensor scale(double k) {
        return k == 1 ? this : tape.record(Op.SCALE, Attrs.scalars(k), this);
    }

    public Tensor exp() {
        return tape.record(Op.EXP, Attrs.NONE, this);
    }

    public Tensor log() {
        return tape.record(Op.LOG, Attrs.NONE, this);
    }

    public Tensor sqrt() {
        return tape.record(Op.SQRT, Attrs.NONE, this);
    }

    public Tensor cos() {
        return tape.record(Op.COS, Attrs.NONE, this);
    }

    public Tensor sin() {
        return tape.record(Op.SIN, Attrs.NONE, this);
    }

    /** arccos, in [0, π]; NaN outside [−1, 1]. Its gradient is finite at ±1 (see {@link Op#ACOS}). */
    public Tensor acos() {
        return tape.record(Op.ACOS, Attrs.NONE, this);
    }

    /** this ^ p for a constant p (pow(x, 1) is x itself). */
    public Tensor pow(double p) {
        return p == 1 ? this : tape.record(Op.POW, Attrs.scalars(p), this);
    }

    public Tensor square() {
        return pow(2);
    }

    /** Clamps into [lo, hi]; either bound may be infinite. */
    public Tensor clamp(double lo, double hi) {
        if (!(lo <= hi)) {
            throw tape.shapeError(Op.CLAMP.label(), "lower bound " + lo + " is above upper bound " + hi, this);
        }
        return tape.record(Op.CLAMP, Attrs.scalars(lo, hi), this);
    }

    /** |this|; the gradient at 0 is 0. */
    public Tensor abs() {
        return tape.record(Op.ABS, Attrs.NONE, this);
    }

    /** log(1 + this), accurate for small values. */
    public Tensor log1p() {
        return tape.record(Op.LOG1P, Attrs.NONE, this);
    }

    /** The elementwise larger of this and o (broadcasting), NaN if either is; ties split the gradient evenly. */
    public Tensor maximum(Tensor o) {
        return tape.record(Op.MAXIMUM, Attrs.NONE, this, o);
    }

    public Tensor maximum(double v) {
        return maximum(tape.constant(v));
    }

    /** The elementwise smaller of this and o (broadcasting), NaN if either is; ties split the gradient evenly. */
    public Tensor minimum(Tensor o) {
        return tape.record(Op.MINIMUM, Attrs.NONE, this, o);
    }

    public Tensor minimum(double v) {
        return minimum(tape.constant(v));
    }

    /** Integer labels as floats (exact up to 2²⁴); a float tensor is returned as it is. */
    public Tensor toFloat() {
        return dtype == DType.FLOAT ? this : tape.record(Op.TO_FLOAT, Attrs.NONE, this);
    }

    /** The same value with no gradient flowing back through it. */
    public Tensor detach() {
        return tape.record(Op.DETACH, Attrs.NONE, this);
    }

    // ---- comparisons: 0/1 masks --------------------------------------------------------------

    public Tensor gt(Tensor o) {
        return tape.record(Op.GT, Attrs.NONE, this, o);
    }

    public Tensor gt(double v) {
        return gt(tape.constant(v));
    }

    public Tensor ge(Tensor o) {
        return tape.record(Op.GE, Attrs.NONE, this, o);
    }

    public Tensor ge(double v) {
        return ge(tape.constant(v));
    }

    public Tensor lt(Tensor o) {
        return tape.record(Op.LT, Attrs.NONE, this, o);
    }

    public Tensor lt(double v) {
        return lt(tape.constant(v));
    }

    public Tensor le(Tensor o) {
        return tape.record(Op.LE, Attrs.NONE, this, o);
    }

    public Tensor le(double v) {
        return le(tape.constant(v));
    }

    public Tensor eq(Tensor o) {
        return tape.record(Op.EQ, Attrs.NONE, this, o);
    }

    public Tensor eq(double v) {
        return eq(tape.constant(v));
    }

    /** 1 where this ≠ o (NaN included), else 0. */
    public Tensor ne(Tensor o) {
        return tape.composite("ne", () -> eq(o).rsub(1), this, o);
    }

    public Tensor ne(double v) {
        return ne(tape.constant(v));
    }

    /** a where mask ≠ 0, else b; all three broadcast together. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return mask.tape.record(Op.WHERE, Attrs.NONE, mask, a, b);
    }

    // ---- shapes ----------------------------------------------------------------------------------

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    public Tensor reshape(Shape to) {
        return to.equals(shape) ? this : tape.record(Op.RESHAPE, Attrs.ints(to.dims()), this);
    }

    /** Broadcasts to a larger shape. */
    public Tensor expand(Shape to) {
        return to.equals(shape) ? this : tape.record(Op.EXPAND, Attrs.ints(to.dims()), this);
    }

    public Tensor expand(int... dims) {
        return expand(Shape.of(dims));
    }

    /** The axes in the order {@code perm} (output axis i is axis perm[i] of this): a view, as torch's permute. */
    public Tensor permute(int... perm) {
        return tape.record(Op.PERMUTE, Attrs.ints(perm), this);
    }

    /** Swaps the last two axes. The transpose of a transpose is the original tensor, with no new node. */
    public Tensor transpose() {
        return op == Op.TRANSPOSE ? inputs[0] : tape.record(Op.TRANSPOSE, Attrs.NONE, this);
    }

    /**
     * The 2-D convolution (cross-correlation) of this input [N, C, H, W] with weights
     * [O, C / groups, KH, KW], as torch.nn.functional.conv2d without bias: [N, O, H', W'].
     *
     * <p>With one group it is recorded as a matrix product, so that it runs on the tuned GEMM
     * template: the weights as [O, C·KH·KW] times the patch matrix ({@link Op#IM2COL},
     * [C·KH·KW, N·H'·W']), [O, N·H'·W'], read as [N, O, H'·W'] through a {@link Op#PERMUTE} view:
     * each output plane stays contiguous, so the batch norm and activations that read it run on
     * full vectors. Its gradients are then products too, the input's through {@link Op#COL2IM}.
     * (The compiler's CPU plan runs the forward product, and at stride 1 the two gradients,
     * without storing a patch matrix, reading the image where the product needs it.)
     * Grouped convolutions (and operands whose shapes do not fit, for the op's own message) take
     * {@link Op#CONV2D}.
     */
    public Tensor conv2d(Tensor weights, Conv2d geometry) {
        int h = shape.rank() == 4 ? shape.dim(2) : 0;
        int w = shape.rank() == 4 ? shape.dim(3) : 0;
        int kh = weights.shape.rank() == 4 ? weights.shape.dim(2) : 0;
        int kw = weights.shape.rank() == 4 ? weights.shape.dim(3) : 0;
        Attrs attrs = geometry.attrs(h, w, kh, kw);
        Shape out;
        try {
            out = Op.CONV2D.shapeRule().apply(new Shape[] {shape, weights.shape}, attrs);
        } catch (IllegalArgumentException wrongShapes) {
            out = null;
        }
        if (geometry.groups() != 1 || out == null) {
            return tape.record(Op.CONV2D, attrs, this, weights);
        }
        int n = out.dim(0);
        int o = out.dim(1);
        int positions = out.dim(2) * out.dim(3);
        Shape result = out;
        return tape.composite("conv2d", () -> {
            Tensor patches = tape.record(Op.IM2COL, attrs, this);
            Tensor products = weights.reshape(o, (int) (weights.shape.numel() / o)).matmul(patches);
            return products.reshape(o, n, positions).permute(1, 0, 2).reshape(result);
        }, this, weights);
    }

    /**
     * Max pooling of this input [N, C, H, W] over the windows of {@code window}, as
     * torch.nn.functional.max_pool2d (the gradient goes to each window's winner; see {@link Pool2d}).
     */
    public Tensor maxPool2d(Pool2d window) {
        return tape.record(Op.MAX_POOL2D_SELECT, window.attrs(), this, this);
    }

    /** Matrix product [n, k] · [k, m]. */
    public Tensor matmul(Tensor o) {
        return tape.record(Op.MATMUL, Attrs.NONE, this, o);
    }

    /**
     * Sums over the axes along which this tensor is larger than {@code target}, where
     * {@code target} broadcasts to this shape: the inverse of broadcasting, used by backward.
     *
     * <p>Neighbouring axes that are both summed, or both kept, are first merged by a view, and the
     * merged runs are summed innermost first. A per-channel gradient of an image batch, [N, C, H, W]
     * to [1, C, 1, 1], is then a sum along rows of H·W contiguous values followed by a small sum over
     * N, rather than a sum over N with a stride of C·H·W per step (five times slower on a CPU, where
     * it was most of a batch norm's backward) and two more passes over H and W.
     */
    public Tensor sumTo(Shape target) {
        if (!target.broadcastsTo(shape)) {
            throw tape.shapeError(Op.SUM.label(), "cannot sum " + shape + " back to " + target, this);
        }
        int extra = shape.rank() - target.rank();
        List<Integer> runs = new ArrayList<>();
        List<Boolean> summed = new ArrayList<>();
        for (int ax = 0; ax < shape.rank(); ax++) {
            int want = ax < extra ? 1 : target.dim(ax - extra);
            boolean sums = shape.dim(ax) != want;
            if (!runs.isEmpty() && summed.get(summed.size() - 1) == sums) {
                runs.set(runs.size() - 1, runs.get(runs.size() - 1) * shape.dim(ax));
            } else {
                runs.add(shape.dim(ax));
                summed.add(sums);
            }
        }
        if (!summed.contains(true)) {
            return reshape(target);
        }
        Tensor t = reshape(runs.stream().mapToInt(Integer::intValue).toArray());
        for (int run = runs.size() - 1; run >= 0; run--) {
            if (summed.get(run)) {
                t = t.sum(run, true);
            }
        }
        return t.reshape(target);
    }

    // ---- reductions -------------------------------------------------------------------------------

    public Tensor sum(int axis, boolean keepdim) {
        return reduce(Op.SUM, axis, keepdim);
    }

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return shape.rank() == 0 ? this : reshape((int) shape.numel()).sum(0, false);
    }

    public Tensor mean(int axis, boolean keepdim) {
        return tape.composite("mean", () -> {
            int a = axisOf(Op.SUM, axis);
            return sum(a, keepdim).scale(1.0 / shape.dim(a));
        }, this);
    }

    /** Mean of all elements, a scalar. */
    public Tensor mean() {
        return sum().scale(1.0 / shape.numel());
    }

    /** Maximum along an axis; ties share the gradient evenly. */
    public Tensor max(int axis, boolean keepdim) {
        return reduce(Op.MAX, axis, keepdim);
    }

    /** Minimum along an axis, as −max(−x); ties share the gradient evenly. */
    public Tensor min(int axis, boolean keepdim) {
        return tape.composite("min", () -> neg().max(axis, keepdim).neg(), this);
    }

    private Tensor reduce(Op op, int axis, boolean keepdim) {
        int a = axisOf(op, axis);
        Tensor r = tape.record(op, Attrs.ints(a), this);
        return keepdim ? r : r.reshape(shape.without(a));
    }

    private int axisOf(Op op, int axis) {
        if (axis < -shape.rank() || axis >= shape.rank()) {
            throw tape.shapeError(op.label(), "axis " + axis + " is out of range for rank " + shape.rank(), this);
        }
        return axis < 0 ? axis + shape.rank() : axis;
    }
}
