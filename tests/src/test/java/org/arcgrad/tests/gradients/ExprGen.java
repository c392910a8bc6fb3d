package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.tests.property.Gen;

/**
 * Generates random expressions top-down from the shape each node must produce, so every
 * expression is well-shaped by construction: a node picks a step that can produce its shape, then
 * asks for children of the shapes that step needs (broadcast-compatible operands, a larger shape
 * to reduce, [n, k] and [k, m] for a product, …). Depth and node count grow with the size hint.
 *
 * <p>Expressions are DAGs, as users write them: a child is sometimes a node made earlier with the
 * shape asked for (one value read by several ops, and so by several kernels), and some forms read
 * one node twice: x·xᵀ and xᵀ·x, x ∘ x for add, sub and mul, where(m, a, a), a comparison of a
 * value with itself, and the patterns of pairwise losses (a squared-distance matrix
 * |xᵢ|² + |xⱼ|² − 2xᵢ·xⱼ, a label-equality mask oneHot(y)·oneHot(y)ᵀ). One generator may make
 * several expressions over one pool of nodes ({@link DagGen}).
 */
final class ExprGen {
    static final int MAX_RANK = 3;
    /** How often a child is a node made earlier, when one of its shape exists. */
    static final double SHARE = 0.2;

    private final Random random;
    private final int maxDim;
    private int budget;
    /** Every node made so far, by shape: complete subexpressions, never an ancestor of the node being made. */
    private final java.util.Map<Shape, List<Expr>> made = new java.util.HashMap<>();

    private ExprGen(Random random, int maxDim, int budget) {
        this.random = random;
        this.maxDim = maxDim;
        this.budget = budget;
    }

    /** Expressions of depth 2 to 5 with up to 14 steps, dims up to 4, result of rank 0 to 2; shrinking by structure. */
    static Gen<Expr> exprs() {
        return Gen.of((random, size) -> sized(random, size).root(depthFor(size)), ExprGen::rootShrinks);
    }

    /**
     * Expressions whose result has rows of 4, 8, 16 or 32 ([n, w] or [m, n, w], the other dims as
     * usual): long enough for the CPU plan's vector lanes along the row, so row reductions over the
     * last axis (normalize, softmax, the reductions' gradients) and the elementwise work around them
     * take the row kernels ({@code RowKernels}), which the small dims of {@link #exprs()} rarely reach.
     * Half the roots are a normalize, softmax or log-softmax along the row.
     */
    static Gen<Expr> wideRows() {
        return Gen.of((random, size) -> {
            ExprGen g = sized(random, size);
            int width = g.pick(4, 8, 16, 32);
            Shape target = random.nextBoolean() ? Shape.of(g.dim(), width) : Shape.of(g.dim(), g.dim(), width);
            if (random.nextBoolean()) { // half the roots work along the row, as a head's normalization and softmax do
                Step along = g.pick(Steps.normalize(-1), Steps.softmax(-1), Steps.logSoftmax(-1));
                return g.remember(Expr.op(along, target, List.of(g.expr(target, depthFor(size) - 1)), random.nextLong()));
            }
            return g.remember(g.node(target, depthFor(size)));
        }, ExprGen::rootShrinks);
    }

    /** A generator for expressions that share one pool of nodes, with dims and budget from the size hint. */
    static ExprGen sized(Random random, int size) {
        return new ExprGen(random, 2 + 2 * size / Gen.MAX_SIZE, 3 + 11 * size / Gen.MAX_SIZE);
    }

    /** Depth 2 to 5, growing with the size hint. */
    static int depthFor(int size) {
        return 2 + 3 * size / Gen.MAX_SIZE;
    }

    /** A new expression of random shape (rank 0 to 2). */
    Expr root(int depth) {
        return remember(node(shape(0, 2), depth));
    }

    /** A new expression of a square matrix's shape [n, n], the shape of pairwise losses' similarity and distance matrices. */
    Expr square(int depth) {
        int n = dim();
        return remember(node(Shape.of(n, n), depth));
    }

    /** A node made earlier (an inner one, when there is one): an output that other outputs read. */
    Expr earlier() {
        List<Expr> all = new ArrayList<>();
        for (List<Expr> same : made.values()) {
            for (Expr e : same) {
                if (e.kind() == Expr.Kind.OP) {
                    all.add(e);
                }
            }
        }
        all.sort(java.util.Comparator.comparingInt(Expr::size)); // HashMap order is not reproducible
        return all.isEmpty() ? null : all.get(random.nextInt(all.size()));
    }

    /**
     * A root may change shape (a gradient check takes any output), so besides the shrinks every
     * node has, any inner subtree may replace the whole tree, smallest first. Without this, a
     * failure inside matmul(softmax(x), y) could not lose the matmul, whose operands have other
     * shapes than its result.
     */
    static Stream<Expr> rootShrinks(Expr root) {
        return Stream.concat(root.innerSubtrees().stream(), root.shrinks());
    }

    private enum Form {
        NEG, EXP, LOG, SQRT, SCALE, POW, CLAMP, RELU, ABS, SOFTPLUS, COS_ADD, NORMALIZE, SOFTMAX, LOG_SOFTMAX,
        ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, WHERE, EXPAND, RESHAPE, TRANSPOSE, REDUCE, REDUCE_KEEPDIM, REDUCE_ALL,
        CROSS_ENTROPY, MATMUL, LINEAR, GATHER, SAME_OPERANDS, GRAM, SQUARED_DISTANCES, SAME_LABEL
    }

    private Expr expr(Shape target, int depth) {
        List<Expr> same = made.get(target);
        if (same != null && random.nextDouble() < SHARE) {
            return same.get(random.nextInt(same.size()));
        }
        if (depth <= 0 || budget <= 0 || random.nextDouble() < 0.1) {
            return remember(Expr.param(target, random.nextLong()));
        }
        return remember(node(target, depth));
    }

    private Expr remember(Expr e) {
        made.computeIfAbsent(e.shape(), k -> new ArrayList<>()).add(e);
        return e;
    }

    /** An inner node producing {@code target}: one of the forms applicable to that shape. */
    private Expr node(Shape target, int depth) {
        budget--;
        List<Form> forms = applicable(target);
        Form form = forms.get(random.nextInt(forms.size()));
        long seed = random.nextLong();
        int r = target.rank();
        switch (form) {
            case NEG: return unary(Steps.neg(), target, depth, seed);
            case EXP: return unary(Steps.exp(), target, depth, seed);
            case LOG: return unary(Steps.log(), target, depth, seed);
            case SQRT: return unary(Steps.sqrt(), target, depth, seed);
            case SCALE: return unary(Steps.scale(round(-2 + 4 * random.nextDouble())), target, depth, seed);
            case POW: return unary(Steps.pow(pick(2.0, 3.0, 0.5, -0.5, 1.5, -1.0, -2.0)), target, depth, seed);
            case CLAMP: return unary(clampStep(), target, depth, seed);
            case RELU: return unary(Steps.relu(), target, depth, seed);
            case ABS: return unary(Steps.abs(), target, depth, seed);
            case SOFTPLUS: return unary(Steps.softplus(pick(1.0, 4.0)), target, depth, seed);
            case COS_ADD: return unary(Steps.cosAdd(round(Math.PI / 2 * random.nextDouble())), target, depth, seed);
            case NORMALIZE: return unary(Steps.normalize(axisOf(r)), target, depth, seed);
            case SOFTMAX: return unary(Steps.softmax(axisOf(r)), target, depth, seed);
            case LOG_SOFTMAX: return unary(Steps.logSoftmax(axisOf(r)), target, depth, seed);
            case ADD: return broadcasting(Steps.add(), target, 2, depth, seed);
            case SUB: return broadcasting(Steps.sub(), target, 2, depth, seed);
            case MUL: return broadcasting(Steps.mul(), target, 2, depth, seed);
            case DIV: return broadcasting(Steps.div(random.nextBoolean()), target, 2, depth, seed);
            case MAXIMUM: return broadcasting(Steps.maximum(), target, 2, depth, seed);
            case MINIMUM: return broadcasting(Steps.minimum(), target, 2, depth, seed);
            case WHERE: return broadcasting(Steps.where(pick("gt", "ge", "lt", "le", "eq")), target, 4, depth, seed);
            case EXPAND: return Expr.op(Steps.expand(target), target, List.of(expr(smallerThan(target), depth - 1)), seed);
            case RESHAPE: return Expr.op(Steps.reshape(target), target, List.of(expr(sameSize(target), depth - 1)), seed);
            case TRANSPOSE: {
                int[] d = target.dims();
                int t = d[r - 1];
                d[r - 1] = d[r - 2];
                d[r - 2] = t;
                return Expr.op(Steps.transpose(), target, List.of(expr(Shape.of(d), depth - 1)), seed);
            }
            case REDUCE: {
                int axis = random.nextInt(r + 1);
                int[] d = new int[r + 1];
                for (int i = 0, j = 0; i <= r; i++) {
                    d[i] = i == axis ? dim() : target.dim(j++);
                }
                int written = random.nextBoolean() ? axis : axis - (r + 1);
                return Expr.op(Steps.reduce(pick("sum", "mean", "max", "min", "logSumExp", "norm"), written, false), target,
                        List.of(expr(Shape.of(d), depth - 1)), seed);
            }
            case REDUCE_KEEPDIM: {
                List<Integer> ones = new ArrayList<>();
                for (int i = 0; i < r; i++) {
                    if (target.dim(i) == 1) {
                        ones.add(i);
                    }
                }
                int axis = ones.get(random.nextInt(ones.size()));
                return Expr.op(Steps.reduce(pick("sum", "mean", "max", "min", "logSumExp", "norm"), axis, true), target,
                        List.of(expr(target.with(axis, dim()), depth - 1)), seed);
            }
            case REDUCE_ALL:
                return Expr.op(random.nextBoolean() ? Steps.sumAll() : Steps.meanAll(), target, List.of(expr(shape(1, 3), depth - 1)), seed);
            case CROSS_ENTROPY: {
                int n = dim();
                int c = dim();
                return Expr.op(Steps.crossEntropy(), target,
                        List.of(expr(Shape.of(n, c), depth - 1), Expr.labels(Shape.of(n), c, random.nextLong())), seed);
            }
            case MATMUL: {
                int k = dim();
                return Expr.op(Steps.matmul(), target,
                        List.of(expr(Shape.of(target.dim(0), k), depth - 1), expr(Shape.of(k, target.dim(1)), depth - 1)), seed);
            }
            case LINEAR: {
                int d = dim();
                boolean bias = random.nextBoolean();
                List<Expr> in = new ArrayList<>(List.of(expr(Shape.of(target.dim(0), d), depth - 1), expr(Shape.of(target.dim(1), d), depth - 1)));
                if (bias) {
                    in.add(expr(Shape.of(target.dim(1)), depth - 1));
                }
                return Expr.op(Steps.linear(bias), target, in, seed);
            }
            case GATHER: {
                int c = dim();
                int[] d = Arrays.copyOf(target.dims(), r + 1);
                d[r] = c;
                return Expr.op(Steps.gather(), target, List.of(expr(Shape.of(d), depth - 1), Expr.labels(target, c, random.nextLong())), seed);
            }
            case SAME_OPERANDS: {
                Expr x = expr(target, depth - 1);
                return switch (random.nextInt(5)) {
                    case 0 -> Expr.op(Steps.add(), target, List.of(x, x), seed);
                    case 1 -> Expr.op(Steps.sub(), target, List.of(x, x), seed);
                    case 2 -> Expr.op(Steps.mul(), target, List.of(x, x), seed);
                    case 3 -> Expr.op(Steps.where(pick("gt", "ge", "lt", "le", "eq")), target,
                            List.of(expr(target, depth - 1), expr(target, depth - 1), x, x), seed);
                    default -> Expr.op(Steps.where(pick("gt", "ge", "lt", "le", "eq")), target,
                            List.of(x, x, expr(target, depth - 1), expr(target, depth - 1)), seed); // an exact tie
                };
            }
            case GRAM: {
                int k = dim();
                boolean leftTransposed = random.nextBoolean();
                Shape operand = leftTransposed ? Shape.of(k, target.dim(0)) : Shape.of(target.dim(0), k);
                return Expr.op(Steps.gram(leftTransposed), target, List.of(expr(operand, depth - 1)), seed);
            }
            case SQUARED_DISTANCES:
                return Expr.op(Steps.squaredDistances(), target, List.of(expr(Shape.of(target.dim(0), dim()), depth - 1)), seed);
            case SAME_LABEL: {
                int c = dim();
                return Expr.op(Steps.sameLabel(c, random.nextBoolean()), target, List.of(Expr.labels(Shape.of(target.dim(0)), c, random.nextLong()),
                        expr(target, depth - 1), expr(target, depth - 1)), seed);
            }
            default:
                throw new AssertionError(form);
        }
    }

    private List<Form> applicable(Shape s) {
        int r = s.rank();
        List<Form> f = new ArrayList<>(List.of(Form.NEG, Form.EXP, Form.LOG, Form.SQRT, Form.SCALE, Form.POW, Form.CLAMP, Form.RELU,
                Form.ABS, Form.SOFTPLUS, Form.COS_ADD, Form.ADD, Form.SUB, Form.MUL, Form.DIV, Form.MAXIMUM, Form.MINIMUM,
                Form.WHERE, Form.RESHAPE));
        if (r >= 1) {
            f.addAll(List.of(Form.NORMALIZE, Form.SOFTMAX, Form.LOG_SOFTMAX, Form.EXPAND));
        }
        if (r >= 2) {
            f.add(Form.TRANSPOSE);
        }
        if (r < MAX_RANK) {
            f.add(Form.REDUCE);
        }
        for (int d : s.dims()) {
            if (d == 1) {
                f.add(Form.REDUCE_KEEPDIM);
                break;
            }
        }
        if (r == 0) {
            f.addAll(List.of(Form.REDUCE_ALL, Form.CROSS_ENTROPY));
        }
        if (r == 2) {
            f.addAll(List.of(Form.MATMUL, Form.LINEAR));
        }
        if (r == 2 && s.dim(0) == s.dim(1)) {
            f.addAll(List.of(Form.GRAM, Form.SQUARED_DISTANCES, Form.SAME_LABEL));
        }
        f.add(Form.SAME_OPERANDS);
        if (r < MAX_RANK) {
            f.add(Form.GATHER);
        }
        return f;
    }

    private Expr unary(Step step, Shape target, int depth, long seed) {
        return Expr.op(step, target, List.of(expr(target, depth - 1)), seed);
    }

    /** n operands that broadcast together to exactly {@code target}. */
    private Expr broadcasting(Step step, Shape target, int n, int depth, long seed) {
        Shape[] shapes = new Shape[n];
        Shape joint = Shape.SCALAR;
        for (int i = 0; i < n; i++) {
            shapes[i] = random.nextDouble() < 0.5 ? target : smallerThan(target);
            joint = Shape.broadcast(joint, shapes[i]);
        }
        if (!target.equals(joint)) {
            shapes[random.nextInt(n)] = target;
        }
        List<Expr> children = new ArrayList<>(n);
        for (Shape s : shapes) {
            children.add(expr(s, depth - 1));
        }
        return Expr.op(step, target, children, seed);
    }

    private Step clampStep() {
        double lo = round(-1.5 + 2 * random.nextDouble());
        double hi = round(lo + 0.1 + 2 * random.nextDouble());
        double u = random.nextDouble();
        return u < 0.15 ? Steps.clamp(Double.NEGATIVE_INFINITY, hi) : (u < 0.3 ? Steps.clamp(lo, Double.POSITIVE_INFINITY) : Steps.clamp(lo, hi));
    }

    /** A shape that broadcasts to {@code s}: leading axes dropped and axes set to 1 at random (may equal s). */
    private Shape smallerThan(Shape s) {
        int[] d = s.dims();
        for (int i = 0; i < d.length; i++) {
            if (random.nextDouble() < 0.35) {
                d[i] = 1;
            }
        }
        int drop = random.nextDouble() < 0.3 ? random.nextInt(d.length + 1) : 0;
        return Shape.of(Arrays.copyOfRange(d, drop, d.length));
    }

    /** A shape of rank 0 to MAX_RANK with the same element count (a reshape source). */
    private Shape sameSize(Shape s) {
        int n = s.size();
        List<Integer> dims = new ArrayList<>();
        for (int p = 2; n > 1; p++) {
            while (n % p == 0) {
                dims.add(p);
                n /= p;
            }
        }
        int rank = dims.isEmpty() ? random.nextInt(MAX_RANK + 1) : 1 + random.nextInt(MAX_RANK);
        int[] d = new int[rank];
        Arrays.fill(d, 1);
        for (int f : dims) {
            d[random.nextInt(rank)] *= f;
        }
        return Shape.of(d);
    }

    private Shape shape(int minRank, int maxRank) {
        int rank = minRank + random.nextInt(maxRank - minRank + 1);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = dim();
        }
        return Shape.of(d);
    }

    /** A dimension: 1 a fifth of the time (broadcasting, reductions of one element), else uniform in [2, maxDim]. */
    private int dim() {
        return random.nextDouble() < 0.2 ? 1 : 2 + random.nextInt(maxDim - 1);
    }

    private int axisOf(int rank) {
        int a = random.nextInt(rank);
        return random.nextBoolean() ? a : a - rank;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** Three decimals, so formulas print readably. */
    private static double round(double x) {
        return Math.rint(x * 1000) / 1000;
    }
}
