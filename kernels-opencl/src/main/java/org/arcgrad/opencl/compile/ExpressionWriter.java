package org.arcgrad.opencl.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Philox;
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
    /** Whether a read the lanes cannot follow becomes one load per lane (else {@link VectorizeException}). */
    private final boolean gathers;
    private int locals;
    /** Materialized nodes whose values the kernel already holds in locals, each at one offset (see {@link #holding}). */
    private final Map<Tensor, Held> held = new HashMap<>();

    /** A held node's element: its offset (C text) and the local that holds it. */
    private record Held(String offset, String local) {
    }
    /** Buffer reads rendered (each distinct one once), and how many of them are per-lane gathers. */
    private int loads;
    private int gathered;

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
        this(buffers, args, out, indent, prefix, lanes, false);
    }

    /**
     * A writer of vector code that, with {@code gathers}, reads a buffer whose offset the lanes
     * cannot follow (a transposed layout, a per-channel value that changes inside a vector) one
     * lane at a time into a private array, then as one vector.
     */
    ExpressionWriter(Set<Tensor> buffers, Map<Tensor, String> args, StringBuilder out, String indent, String prefix, Lanes lanes,
                     boolean gathers) {
        this.gathers = gathers && lanes != null;
        this.buffers = buffers;
        this.args = args;
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
        this.lanes = lanes;
    }

    /**
     * This writer, told that the kernel holds {@code node}'s element at {@code offset} in the local
     * {@code local} (a row kernel's reduction of its own row): reads there take the local instead of
     * the buffer, which the kernel is still writing. A read at any other offset throws {@link
     * VectorizeException}: another work-item's row is not ready.
     */
    ExpressionWriter holding(Tensor node, Ix offset, String local) {
        held.put(node, new Held(offset.c(), local));
        return this;
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
        Held h = held.get(n);
        if (h != null) {
            String offset = at.linear().c();
            if (!offset.equals(h.offset())) {
                throw new VectorizeException(n.describe() + " is read at " + offset + ", not at the row the kernel holds (" + h.offset() + ")");
            }
            return lanes == null ? h.local() : lanes.splat(h.local());
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

    /** A read of a buffer at {@code offset}: a vector load, a broadcast, or (if allowed) a gather, in vector code. */
    private String load(Tensor n, Ix offset) {
        loads++;
        Long step = lanes == null ? null : offset.coefficientOf(lanes.var());
        if (gathers && (step == null || (step != 0 && step != 1))) {
            return gather(n, offset);
        }
        return read(n, offset.c(), step);
    }

    /**
     * {@code n} at {@code offset} for each lane (its variable plus the lane number) into a private
     * array, read back as one vector. The offset is an index expression of the kernel's variables
     * only, so the lane's variable is the one name to shift.
     */
    private String gather(Tensor n, Ix offset) {
        gathered++;
        String name = prefix + "g" + locals++;
        String v = lanes.var();
        String perLane = offset.c().replaceAll("\\b" + v + "\\b", "(" + v + "+lane)");
        boolean ints = n.dtype() == DType.INT;
        out.append(indent).append(ints ? "int " : "float ").append(name).append("[").append(lanes.width()).append("];\n")
                .append(indent).append("for (int lane = 0; lane < ").append(lanes.width()).append("; lane++) {\n")
                .append(indent).append("    ").append(name).append("[lane] = ").append(argument(n)).append("[").append(perLane)
                .append("];\n")
                .append(indent).append("}\n");
        String vector = "vload" + lanes.width() + "(0, " + name + ")";
        return ints ? "convert_" + lanes.floats() + "(" + vector + ")" : vector;
    }

    /** Buffer reads rendered so far. */
    int loads() {
        return loads;
    }

    /** Of {@link #loads()}, the per-lane gathers. */
    int gathered() {
        return gathered;
    }

    /**
     * {@code n}'s buffer at the C offset {@code offset}, which moves by {@code step} per lane in
     * vector code: a broadcast for 0, a vector load for 1 (integers converted to floats); anything
     * else cannot be vectorized.
     */
    private String read(Tensor n, String offset, Long step) {
        String at = argument(n) + "[" + offset + "]";
        if (lanes == null) {
            return at;
        }
        if (step != null && step == 0) {
            return lanes.splat(at);
        }
        if (step != null && step == 1) {
            String v = "vload" + lanes.width() + "(0, " + argument(n) + " + " + offset + ")";
            return n.dtype() == DType.INT ? "convert_" + lanes.floats() + "(" + v + ")" : v;
        }
        throw new VectorizeException(n.describe() + " is read at " + offset + ", not contiguous across lanes");
    }

    private String computeOp(Tensor n, Index at) {
        switch (n.op().kind()) {
            case VIEW:
                Tensor in = n.input(0);
                return switch (n.op()) {
                    case RESHAPE -> value(in, at.reshapeFrom(in.shape()));
                    case EXPAND -> value(in, at.broadcastFrom(in.shape()));
                    case TRANSPOSE -> value(in, at.transposeFrom(in.shape()));
                    case PERMUTE -> value(in, at.permuteFrom(in.shape(), n.attrs().ints()));
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
                return switch (n.op()) {
                    case ONE_HOT -> {
                        Tensor labels = fedLabels(n, n.input(0));
                        Index li = at.withoutLastAxis(labels.shape());
                        yield local(n, at, () -> oneHot(labels, li.linear(), at.lastAxis()));
                    }
                    case GATHER_ROWS -> gatherRows(n, at);
                    case IM2COL -> patchElement(n, at);
                    case ARANGE -> local(n, at, () -> arange(at.linear()));
                    case RANDOM_UNIFORM, RANDOM_NORMAL -> random(n, at);
                    default -> throw new IllegalStateException("unknown index op " + n.op());
                };
            case SOURCE:
                if (n.op() == Op.CONST) {
                    return constant(n);
                }
                throw new IllegalStateException("source not bound to a buffer: " + n.describe());
            default:
                throw new IllegalStateException(n.op().label() + " must be materialized before it is read: " + n.describe());
        }
    }

    /** The integer operand of an index op, which must be a fed input (it is read as int, not computed). */
    private Tensor fedLabels(Tensor n, Tensor labels) {
        if (!buffers.contains(labels) || labels.op() != Op.INPUT) {
            throw new IllegalStateException(n.op().label() + ": the integer operand must be a fed input, not " + labels.describe());
        }
        return labels;
    }

    /** w[idx[i], j]: the row index read as int, the row itself from w's buffer. */
    private String gatherRows(Tensor n, Index at) {
        Tensor w = n.input(0);
        Tensor idx = fedLabels(n, n.input(1));
        Ix position = at.withoutLastAxis(idx.shape()).linear();
        Ix column = at.lastAxis();
        String offset = "(" + argument(idx) + "[" + position.c() + "])*" + w.shape().dim(1) + "+" + column.c();
        return local(n, at, () -> {
            if (lanes == null) {
                return read(w, offset, null);
            }
            Long rowStep = position.coefficientOf(lanes.var());
            if (rowStep == null || rowStep != 0) {
                throw new VectorizeException("gatherRows of " + w.describe() + " reads another row in each lane");
            }
            return read(w, offset, column.coefficientOf(lanes.var()));
        });
    }

    /**
     * An element of a patch matrix ({@link Op#IM2COL}): the input element under the kernel, or 0 in
     * the padding, its position worked out from the element's row (channel, tap) and column
     * (sample, output position). The input is read from its buffer.
     */
    private String patchElement(Tensor n, Index at) {
        if (lanes != null) {
            throw new VectorizeException("a patch matrix reads its input at computed positions");
        }
        return local(n, at, () -> {
            Tensor x = n.input(0);
            org.arcgrad.autodiff.Conv2d g = org.arcgrad.autodiff.Conv2d.of(n.attrs());
            int[] e = org.arcgrad.autodiff.Conv2d.extents(n.attrs());
            int c = x.shape().dim(1);
            int ow = g.outputWidth(e[1], e[3]);
            int positions = g.outputHeight(e[0], e[2]) * ow;
            int taps = e[2] * e[3];
            Ix column = at.lastAxis(); // (sample, output position)
            Ix row = at.withoutLastAxis(org.arcgrad.autodiff.Shape.of(n.shape().dim(0))).linear(); // (channel, tap)
            Ix position = column.mod(positions);
            Ix tap = row.mod(taps);
            String p = prefix + locals++;
            String i = indent + "const int " + p;
            out.append(i).append("y = ").append(position.div(ow).c()).append(" * ").append(g.strideH()).append(" - ").append(g.padH())
                    .append(" + ").append(tap.div(e[3]).c()).append(" * ").append(g.dilationH()).append(";\n");
            out.append(i).append("x = ").append(position.mod(ow).c()).append(" * ").append(g.strideW()).append(" - ").append(g.padW())
                    .append(" + ").append(tap.mod(e[3]).c()).append(" * ").append(g.dilationW()).append(";\n");
            String inside = "(" + p + "y >= 0 && " + p + "y < " + e[0] + " && " + p + "x >= 0 && " + p + "x < " + e[1] + ")";
            String plane = column.div(positions).times(c).plus(row.div(taps)).c(); // sample · C + channel
            String offset = "(" + plane + " * " + e[0] + " + " + p + "y) * " + e[1] + " + " + p + "x";
            return inside + " ? " + argument(Schedule.storage(x)) + "[" + offset + "] : 0.0f";
        });
    }

    /** The element's own position as a float: arange. */
    private String arange(Ix position) {
        String scalar = "((float)(" + position.c() + "))";
        if (lanes == null) {
            return scalar;
        }
        Long step = position.coefficientOf(lanes.var());
        if (step == null || step > 1) {
            throw new VectorizeException("arange read with a stride across lanes");
        }
        return step == 0 ? lanes.splat(scalar) : "(" + lanes.splat(scalar) + "+convert_" + lanes.floats() + "(" + lanes.laneOffsets() + "))";
    }

    /**
     * A Philox-4x32-10 draw for the element at {@code at} (counter: its position in the node, the
     * node's stream; key: the seed), the rounds written out as {@link Philox#block} runs them.
     */
    private String random(Tensor n, Index at) {
        if (lanes != null) {
            throw new VectorizeException("random numbers are drawn one work-item at a time");
        }
        return local(n, at, () -> {
            Tensor seed = fedLabels(n, n.input(0));
            String p = prefix + locals++;
            out.append(indent).append("uint ").append(p).append("c0 = (uint)(").append(at.linear().c()).append("), ")
                    .append(p).append("c1 = ").append((int) n.attrs().scalar(0)).append("u, ")
                    .append(p).append("c2 = 0u, ").append(p).append("c3 = 0u, ")
                    .append(p).append("k0 = (uint)(").append(argument(seed)).append("[0]), ").append(p).append("k1 = 0u;\n");
            out.append(indent).append("for (int ").append(p).append("r = 0; ").append(p).append("r < ").append(Philox.ROUNDS)
                    .append("; ").append(p).append("r++) {\n");
            String in = indent + "    ";
            out.append(in).append("const uint ").append(p).append("h0 = mul_hi(").append(hex(Philox.M0)).append(", ").append(p)
                    .append("c0), ").append(p).append("l0 = ").append(hex(Philox.M0)).append(" * ").append(p).append("c0;\n");
            out.append(in).append("const uint ").append(p).append("h1 = mul_hi(").append(hex(Philox.M1)).append(", ").append(p)
                    .append("c2), ").append(p).append("l1 = ").append(hex(Philox.M1)).append(" * ").append(p).append("c2;\n");
            out.append(in).append(p).append("c0 = ").append(p).append("h1 ^ ").append(p).append("c1 ^ ").append(p).append("k0; ")
                    .append(p).append("c1 = ").append(p).append("l1; ")
                    .append(p).append("c2 = ").append(p).append("h0 ^ ").append(p).append("c3 ^ ").append(p).append("k1; ")
                    .append(p).append("c3 = ").append(p).append("l0;\n");
            out.append(in).append(p).append("k0 += ").append(hex(Philox.W0)).append("; ")
                    .append(p).append("k1 += ").append(hex(Philox.W1)).append(";\n");
            out.append(indent).append("}\n");
            // the draw's words are unique to this local, so value numbering never merges two draws
            return n.op() == Op.RANDOM_UNIFORM
                    ? "((float)(" + p + "c0 >> 8) * 0x1.0p-24f)"
                    : "(sqrt(-2.0f * log((float)((" + p + "c0 >> 8) + 1u) * 0x1.0p-24f)) * cospi(2.0f * ((float)(" + p
                            + "c1 >> 8) * 0x1.0p-24f)))";
        });
    }

    private static String hex(int word) {
        return String.format("0x%08Xu", word);
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
