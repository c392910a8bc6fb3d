package org.arcgrad.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Records every operation as a node, in creation order, so that inputs always come before their
 * users. {@link #grad} appends the backward pass to the same tape as ordinary nodes, so a backend
 * compiles forward and backward together. A tape is not thread-safe.
 */
public final class Tape {
    private final List<Tensor> nodes = new ArrayList<>();
    private final Map<Double, Tensor> scalarConstants = new HashMap<>();
    private final Set<String> sourceNames = new HashSet<>();
    private final GradientTable gradients;
    private boolean recordingBackward;
    /** The composites being recorded, innermost first, outermost (the one the user called) last. */
    private final java.util.ArrayDeque<Composite> composites = new java.util.ArrayDeque<>();
    private int randomStreams;

    public Tape() {
        this(GradientTable.STANDARD);
    }

    /** A tape whose {@link #grad} uses the given gradient rules (tests plant wrong rules this way). */
    public Tape(GradientTable gradients) {
        this.gradients = gradients;
    }

    // ---- sources ------------------------------------------------------------------------------

    /** A float input fed at run time. */
    public Tensor input(String name, int... dims) {
        return source(Op.INPUT, DType.FLOAT, name, dims);
    }

    /** A float parameter fed at run time; gradients are usually taken with respect to these. */
    public Tensor param(String name, int... dims) {
        return source(Op.PARAM, DType.FLOAT, name, dims);
    }

    /** An integer input (class labels), fed at run time. */
    public Tensor labels(String name, int... dims) {
        return source(Op.INPUT, DType.INT, name, dims);
    }

    private Tensor source(Op op, DType dtype, String name, int[] dims) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(op.label() + ": a name is required");
        }
        if (!sourceNames.add(name)) {
            throw new IllegalArgumentException(op.label() + " \"" + name + "\": this tape already has a source of that name");
        }
        Shape shape = Shape.of(dims);
        return add(op, new Attrs(new double[0], shape.dims(), name), dtype, shape, new Tensor[0]);
    }

    /** A scalar constant (shape []); broadcasts against anything. Equal values share one node. */
    public Tensor constant(double v) {
        return scalarConstants.computeIfAbsent(v,
                k -> add(Op.CONST, new Attrs(new double[] {v}, new int[0], null), DType.FLOAT, Shape.SCALAR, new Tensor[0]));
    }

    /** A tensor of the given shape filled with v. */
    public Tensor full(Shape shape, double v) {
        return shape.rank() == 0 ? constant(v)
                : add(Op.CONST, new Attrs(new double[] {v}, shape.dims(), null), DType.FLOAT, shape, new Tensor[0]);
    }

    /** 0, 1, ..., n − 1 as floats [n], computed on the device where it is used (no transfer). */
    public Tensor arange(int n) {
        if (n < 1) {
            throw shapeError("arange", "length must be at least 1, got " + n);
        }
        return record(Op.ARANGE, Attrs.ints(n));
    }

    /** The n × n identity matrix, a float mask. */
    public Tensor eye(int n) {
        return diagonalMask("eye", n, 0, 0);
    }

    /** The mask [n, n] of 1 where column − row ≥ k: on and above the k-th diagonal (torch.triu of ones). */
    public Tensor triu(int n, int k) {
        return diagonalMask("triu", n, k, 1);
    }

    /** The mask [n, n] of 1 where column − row ≤ k: on and below the k-th diagonal (torch.tril of ones). */
    public Tensor tril(int n, int k) {
        return diagonalMask("tril", n, k, -1);
    }

    /** 1 where column − row compares with k as {@code side} says: 0 equal, 1 at least, −1 at most. */
    private Tensor diagonalMask(String name, int n, int k, int side) {
        return composite(name, () -> {
            Tensor offset = arange(n).reshape(1, n).sub(arange(n).reshape(n, 1));
            return side == 0 ? offset.eq(k) : side > 0 ? offset.ge(k) : offset.le(k);
        });
    }

    /**
     * Uniform numbers in [0, 1) of the given shape, no gradient, from Philox-4x32-10 keyed by
     * {@code seed} (an integer scalar fed at run time, so each step can draw anew). The interpreter
     * and every OpenCL device give the same bits. Each call on a tape is its own stream: two calls
     * with one seed draw different numbers.
     */
    public Tensor uniform(Tensor seed, int... shape) {
        return random(Op.RANDOM_UNIFORM, seed, shape);
    }

    /**
     * Standard normal numbers of the given shape, no gradient, by Box–Muller from the same
     * generator as {@link #uniform}. The interpreter computes them in fp64, a device in fp32 through
     * its log, sqrt and cos: equal to within a few fp32 ulp.
     */
    public Tensor normal(Tensor seed, int... shape) {
        return random(Op.RANDOM_NORMAL, seed, shape);
    }

    private Tensor random(Op op, Tensor seed, int[] shape) {
        if (seed.shape().numel() != 1) {
            throw shapeError(op.label(), "the seed must be one integer (shape [] or [1])", seed);
        }
        return record(op, new Attrs(new double[] {randomStreams++}, Shape.of(shape).dims(), null), seed);
    }

    // ---- recording ----------------------------------------------------------------------------

    /** Records one op after checking tapes, dtypes and shapes. Ops and composites call this. */
    public Tensor record(Op op, Attrs attrs, Tensor... inputs) {
        if (op.kind() == Op.Kind.SOURCE) {
            throw new IllegalArgumentException(op.label() + ": create sources with input(), param(), labels() or constant()");
        }
        if (inputs.length != op.arity()) {
            throw shapeError(op.label(), "takes " + op.arity() + " operand(s), got " + inputs.length, inputs);
        }
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            if (t == null) {
                throw new IllegalArgumentException(op.label() + ": operand is null");
            }
            if (t.tape() != this) {
                throw shapeError(op.label(), "operand %" + t.id() + " belongs to another tape", inputs);
            }
            DType want = op.operandType(k);
            if (want != null && t.dtype() != want) {
                throw shapeError(op.label(), "expects " + want.name().toLowerCase() + " operands, %" + t.id()
                        + " is " + t.dtype().name().toLowerCase()
                        + (t.dtype() == DType.INT ? " (integer labels: toFloat() turns them into floats)" : ""), inputs);
            }
        }
        Shape[] shapes = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].shape();
        }
        Shape out;
        try {
            out = op.shapeRule().apply(shapes, attrs);
        } catch (IllegalArgumentException e) {
            throw shapeError(op.label(), e.getMessage(), inputs);
        }
        DType dtype = op.kind() == Op.Kind.VIEW ? inputs[0].dtype() : DType.FLOAT;
        return add(op, attrs, dtype, out, inputs.clone());
    }

    private Tensor add(Op op, Attrs attrs, DType dtype, Shape shape, Tensor[] inputs) {
        Tensor t = new Tensor(this, nodes.size(), op, shape, dtype, inputs, attrs, CallSite.capture(), recordingBackward);
        nodes.add(t);
        return t;
    }

    /** The exception for a rejected call: op, reason, operand shapes and the user's line. */
    ShapeException shapeError(String what, String reason, Tensor... inputs) {
        String site = CallSite.capture();
        if (!composites.isEmpty()) {
            // The user called a composite: name it and the user's arguments, then the primitive that refused.
            Composite c = composites.getLast();
            String inner = what.equals(c.name()) ? "" : " (in its " + what + " of " + shapesOf(inputs) + ")";
            return new ShapeException(c.name() + ": " + reason + inner + "; argument shapes " + shapesOf(c.args())
                    + " (at " + site + ")");
        }
        return new ShapeException(what + ": " + reason + "; operand shapes " + shapesOf(inputs) + " (at " + site + ")");
    }

    private static String shapesOf(Tensor... inputs) {
        StringJoiner shapes = new StringJoiner(" and ");
        for (Tensor t : inputs) {
            shapes.add(t == null ? "null" : t.shape().toString());
        }
        return shapes.toString();
    }

    private record Composite(String name, Tensor[] args) {
    }

    /**
     * Runs {@code body}, the primitives of composite {@code name} called with {@code args}; a shape
     * error inside names the composite and its arguments (the outermost composite, the one the
     * user called), not only the primitive deep inside it.
     */
    <T> T composite(String name, java.util.function.Supplier<T> body, Tensor... args) {
        composites.push(new Composite(name, args));
        try {
            return body.get();
        } finally {
            composites.pop();
        }
    }

    // ---- gradients ----------------------------------------------------------------------------

    /**
     * Appends the backward pass of a scalar {@code loss} to this tape and returns d loss / d w for
     * each w in {@code wrt}, in order, as new nodes. A w the loss does not depend on gets zeros.
     * Second derivatives are not supported: if the loss depends on a node made by an earlier
     * grad(), this throws instead of returning a wrong answer.
     */
    public Tensor[] grad(Tensor loss, Tensor... wrt) {
        boolean outer = recordingBackward;
        recordingBackward = true;
        try {
            return Backward.run(this, gradients, loss, wrt);
        } finally {
            recordingBackward = outer;
        }
    }

    // ---- inspection ---------------------------------------------------------------------------

    /** All nodes, in creation order. */
    public List<Tensor> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** One line per node: id, op, shape, inputs and attributes. */
    public String dump() {
        StringBuilder b = new StringBuilder();
        for (Tensor t : nodes) {
            b.append(t.describe()).append('\n');
        }
        return b.toString();
    }
}
