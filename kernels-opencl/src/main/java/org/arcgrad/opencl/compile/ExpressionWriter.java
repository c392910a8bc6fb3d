package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;

/**
 * Renders the fused expression of a node at a symbolic {@link Index} as fp32 C statements. Nodes
 * that live in buffers (sources and materialized nodes) become loads through kernel arguments;
 * everything else is computed inline, once per (node, index): a DAG, not a tree, so shared
 * subexpressions cost one local each.
 */
final class ExpressionWriter {
    private final Set<Tensor> buffers;
    private final Map<Tensor, String> args;
    private final StringBuilder out;
    private final String indent;
    /** (node, index) → local: renders each shared node once per element. */
    private final Map<String, String> memo = new HashMap<>();
    /** expression text → local: value numbering, so equal nodes (two one-hots of the same labels) are computed once. */
    private final Map<String, String> numbered = new HashMap<>();
    private final String prefix;
    /** Explicit vector lanes, or null for scalar code. */
    private final Lanes lanes;
    private int locals;

    /**
     * @param buffers nodes read from buffers rather than computed
     * @param args    shared map from buffer node to kernel-argument name; new reads add entries
     * @param out     where statements go
     * @param prefix  prefix of local names, distinct per writer in one kernel
     */
    ExpressionWriter(Set<Tensor> buffers, Map<Tensor, String> args, StringBuilder out, String indent, String prefix) {
        this(buffers, args, out, indent, prefix, null);
    }

    /**
     * A writer of vector code: every value is a {@code floatN} over {@code lanes}; a read that is
     * neither contiguous nor uniform across the lanes throws {@link VectorizeException}.
     */
    ExpressionWriter(Set<Tensor> buffers, Map<Tensor, String> args, StringBuilder out, String indent, String prefix, Lanes lanes) {
        this.buffers = buffers;
        this.args = args;
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
        this.lanes = lanes;
    }

    /** The node's value at {@code at}, computing it even if the node itself has a buffer (a kernel's root). */
    String compute(Tensor n, Index at) {
        return computeOp(n, at);
    }

    /** The node's value at {@code at}: a load if it lives in a buffer, else computed inline. */
    String value(Tensor n, Index at) {
        if (n.op() == Op.CONST) {
            return constant(n);
        }
        if (buffers.contains(n)) {
            return local(n, at, () -> load(n, at.linear()));
        }
        return computeOp(n, at);
    }

    private String constant(Tensor n) {
        String literal = OpenClOps.literal(n.attrs().scalar(0));
        return lanes == null ? literal : lanes.splat(literal);
    }

    /** A read of a buffer at {@code offset}: a vector load, or a broadcast, in vector code. */
    private String load(Tensor n, Ix offset) {
        String at = argument(n) + "[" + offset.c() + "]";
        if (lanes == null) {
            return at;
        }
        Long step = offset.coefficientOf(lanes.var());
        if (step != null && step == 0) {
            return lanes.splat(at);
        }
        if (step != null && step == 1) {
            return "vload" + lanes.width() + "(0, " + argument(n) + " + " + offset.c() + ")";
        }
        throw new VectorizeException(n.describe() + " is read at " + offset.c() + ", not contiguous across lanes");
    }

    private String computeOp(Tensor n, Index at) {
        switch (n.op().kind()) {
            case VIEW:
                Tensor in = n.input(0);
                return switch (n.op()) {
                    case RESHAPE -> value(in, at.reshapeFrom(in.shape()));
                    case EXPAND -> value(in, at.broadcastFrom(in.shape()));
                    case TRANSPOSE -> value(in, at.transposeFrom(in.shape()));
                    default -> throw new IllegalStateException("unknown view " + n.op());
                };
            case ELEMENTWISE:
                if (n.op() == Op.DETACH) {
                    return value(n.input(0), at);
                }
                String[] x = new String[n.arity()];
                for (int k = 0; k < x.length; k++) {
                    x[k] = value(n.input(k), at.broadcastFrom(n.input(k).shape()));
                }
                return local(n, at, () -> lanes == null
                        ? OpenClOps.ELEMENTWISE.get(n.op()).apply(x, n.attrs().scalars())
                        : OpenClOps.vector(n.op(), x, n.attrs().scalars(), lanes));
            case INDEX:
                Tensor labels = n.input(0);
                if (!buffers.contains(labels)) {
                    throw new IllegalStateException("one_hot labels must be a fed input: " + labels.describe());
                }
                Index li = at.withoutLastAxis(labels.shape());
                return local(n, at, () -> oneHot(labels, li.linear(), at.lastAxis()));
            case SOURCE:
                if (n.op() == Op.CONST) {
                    return constant(n);
                }
                throw new IllegalStateException("source not bound to a buffer: " + n.describe());
            default:
                throw new IllegalStateException(n.op().label() + " must be materialized before it is read: " + n.describe());
        }
    }

    /** 1.0 where the label at {@code labelOffset} equals the class {@code column}, else 0.0. */
    private String oneHot(Tensor labels, Ix labelOffset, Ix column) {
        String label = argument(labels) + "[" + labelOffset.c() + "]";
        String scalar = "((" + label + "==" + column.c() + ")?1.0f:0.0f)";
        if (lanes == null) {
            return scalar;
        }
        Long labelStep = labelOffset.coefficientOf(lanes.var());
        Long columnStep = column.coefficientOf(lanes.var());
        if (labelStep == null || labelStep != 0 || columnStep == null || columnStep > 1) {
            throw new VectorizeException("one-hot of " + labels.describe() + " varies across lanes in a way vectors cannot follow");
        }
        if (columnStep == 0) {
            return lanes.splat(scalar);
        }
        // lane k holds class column + k
        return lanes.mask("(" + lanes.ints() + ")(" + label + ")==(" + lanes.ints() + ")(" + column.c() + ")+" + lanes.laneOffsets());
    }

    /** Declares an int local holding the label at {@code at} of a labels buffer; returns its name. */
    String label(Tensor labels, Index at) {
        String name = prefix + locals++;
        out.append(indent).append("const int ").append(name).append(" = ").append(argument(labels))
                .append("[").append(at.linear().c()).append("];\n");
        return name;
    }

    private String local(Tensor n, Index at, java.util.function.Supplier<String> expression) {
        String key = n.id() + "@" + at.key();
        String name = memo.get(key);
        if (name == null) {
            String e = expression.get();
            name = numbered.get(e);
            if (name == null) {
                name = prefix + locals++;
                out.append(indent).append("const ").append(lanes == null ? "float" : lanes.floats()).append(" ").append(name)
                        .append(" = ").append(e).append(";\n");
                numbered.put(e, name);
            }
            memo.put(key, name);
        }
        return name;
    }

    private String argument(Tensor n) {
        return args.computeIfAbsent(n, k -> "b" + args.size());
    }

    /** Kernel parameter declarations for the buffers read so far, in argument order. */
    static List<String> parameters(Map<Tensor, String> args) {
        List<String> p = new ArrayList<>();
        for (Map.Entry<Tensor, String> e : args.entrySet()) {
            String type = e.getKey().dtype() == DType.INT ? "int" : "float";
            p.add("__global const " + type + "* restrict " + e.getValue());
        }
        return p;
    }

    static Map<Tensor, String> newArgs() {
        return new LinkedHashMap<>();
    }
}
