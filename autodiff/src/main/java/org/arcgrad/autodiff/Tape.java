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

    // ---- recording ----------------------------------------------------------------------------

    /** Records one op after checking tapes, dtypes and shapes. Ops and composites call this. */
    public Tensor record(Op op, Attrs attrs, Tensor... inputs) {
        if (op.kind() == Op.Kind.SOURCE) {
            throw new IllegalArgumentException(op.label() + ": create sources with input(), param(), labels() or constant()");
        }
        if (inputs.length != op.arity()) {
            throw shapeError(op.label(), "takes " + op.arity() + " operand(s), got " + inputs.length, inputs);
        }
        for (Tensor t : inputs) {
            if (t == null) {
                throw new IllegalArgumentException(op.label() + ": operand is null");
            }
            if (t.tape() != this) {
                throw shapeError(op.label(), "operand %" + t.id() + " belongs to another tape", inputs);
            }
            DType want = op == Op.ONE_HOT ? DType.INT : DType.FLOAT;
            if (t.dtype() != want) {
                throw shapeError(op.label(), "expects " + want.name().toLowerCase() + " operands, %" + t.id()
                        + " is " + t.dtype().name().toLowerCase(), inputs);
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
        return add(op, attrs, DType.FLOAT, out, inputs.clone());
    }

    private Tensor add(Op op, Attrs attrs, DType dtype, Shape shape, Tensor[] inputs) {
        Tensor t = new Tensor(this, nodes.size(), op, shape, dtype, inputs, attrs, CallSite.capture(), recordingBackward);
        nodes.add(t);
        return t;
    }

    /** The exception for a rejected call: op, reason, operand shapes and the user's line. */
    ShapeException shapeError(String what, String reason, Tensor... inputs) {
        StringJoiner shapes = new StringJoiner(" and ");
        for (Tensor t : inputs) {
            shapes.add(t == null ? "null" : t.shape().toString());
        }
        return new ShapeException(what + ": " + reason + "; operand shapes " + shapes + " (at " + CallSite.capture() + ")");
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
