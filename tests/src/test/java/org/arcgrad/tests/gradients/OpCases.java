package org.arcgrad.tests.gradients;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.arcgrad.autodiff.Attrs;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Pool2d;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Shapes;

/**
 * For every primitive op whose gradient can be checked against a finite difference, a generator
 * of cases that exercise exactly that op: the op is recorded with {@link Tape#record} (not through
 * the DSL, whose shortcuts skip some nodes, e.g. scale(1) or pow(1)), on random shapes with dims
 * of 1 and broadcasting, and on values of its domain with the domain's edges.
 *
 * <p>DETACH is not here: it deliberately disagrees with a finite difference (see DetachTest).
 */
public final class OpCases {
    private static final Map<Op, Gen<GradCase>> CATALOGUE = build();

    private OpCases() {
    }

    /** Op → its cases; {@code CoverageTest} fails when an op with a gradient rule has no property. */
    public static Map<Op, Gen<GradCase>> catalogue() {
        return CATALOGUE;
    }

    private static Map<Op, Gen<GradCase>> build() {
        Map<Op, Gen<GradCase>> m = new EnumMap<>(Op.class);
        m.put(Op.NEG, unary(Op.NEG, Domains.reals()));
        m.put(Op.EXP, unary(Op.EXP, Gens.doubles(-5, 5, Domains.EDGE, -5, 0, 5, 1e-3)));
        m.put(Op.LOG, unary(Op.LOG, Domains.positives()));
        m.put(Op.SQRT, unary(Op.SQRT, Domains.positives()));
        m.put(Op.COS, unary(Op.COS, Domains.reals()));
        m.put(Op.SIN, unary(Op.SIN, Domains.reals()));
        // acos inside (-1, 1), away from the clamped band at ±1 (its edge rule is in the heads' tests)
        m.put(Op.ACOS, unary(Op.ACOS, Gens.doubles(-0.999, 0.999, Domains.EDGE, -0.999, -0.5, 0, 0.5, 0.999)));
        // |x| kept 1e-3 from its kink at 0 (ExactTiesTest holds the value there)
        m.put(Op.ABS, unary(Op.ABS, Domains.awayFrom(0, 1e-3)));
        m.put(Op.LOG1P, unary(Op.LOG1P, Gens.doubles(-0.9, 5, Domains.EDGE, -0.9, 0, 1e-3, -1e-3, 5)));
        m.put(Op.SCALE, scale());
        m.put(Op.POW, pow());
        m.put(Op.CLAMP, clamp());
        m.put(Op.ADD, binary(Op.ADD, Domains.reals(), Domains.reals()));
        m.put(Op.SUB, binary(Op.SUB, Domains.reals(), Domains.reals()));
        m.put(Op.MUL, binary(Op.MUL, Domains.reals(), Domains.reals()));
        m.put(Op.DIV, binary(Op.DIV, Domains.reals(), Domains.awayFromZero()));
        // exact ties come with the edge values: the split gradient is what a central difference sees there
        m.put(Op.MAXIMUM, binary(Op.MAXIMUM, Domains.reals(), Domains.reals()));
        m.put(Op.MINIMUM, binary(Op.MINIMUM, Domains.reals(), Domains.reals()));
        m.put(Op.WHERE, Gens.oneOf(whereWithFixedMask(), whereWithComparisonMask()));
        m.put(Op.RESHAPE, reshape());
        m.put(Op.EXPAND, expand());
        m.put(Op.TRANSPOSE, transpose());
        m.put(Op.SUM, reduction(Op.SUM, s -> Domains.array(s, Domains.reals())));
        m.put(Op.MAX, reduction(Op.MAX, Domains::distinctArray));
        m.put(Op.MATMUL, matmul());
        m.put(Op.GATHER_ROWS, gatherRows());
        m.put(Op.CONV2D, convolution(Op.CONV2D));
        m.put(Op.CONV2D_INPUT_GRAD, convolution(Op.CONV2D_INPUT_GRAD));
        m.put(Op.CONV2D_WEIGHT_GRAD, convolution(Op.CONV2D_WEIGHT_GRAD));
        m.put(Op.PERMUTE, permute());
        m.put(Op.IM2COL, patches(Op.IM2COL));
        m.put(Op.COL2IM, patches(Op.COL2IM));
        m.put(Op.MAX_POOL2D_SELECT, pooling(Op.MAX_POOL2D_SELECT));
        m.put(Op.MAX_POOL2D_SCATTER, pooling(Op.MAX_POOL2D_SCATTER));
        return Collections.unmodifiableMap(m);
    }

    private static Tensor record(Op op, Attrs attrs, Tensor... in) {
        return in[0].tape().record(op, attrs, in);
    }

    /** One input of a random small shape through {@code f}. */
    private static Gen<GradCase> unary(String label, Gen<NDArray> x, Function<Tensor, Tensor> f) {
        return Gen.zip(x, Gens.seeds(), (v, seed) -> GradCase.of(label + " of " + v.shape(), seed, (t, a) -> f.apply(a[0]), v));
    }

    private static Gen<GradCase> unary(Op op, Gen<Double> values) {
        return unary(op.label(), Domains.arrays(values), x -> record(op, Attrs.NONE, x));
    }

    /** Includes k = 1, which the DSL's scale() would not record as a node, and k = 0. */
    private static Gen<GradCase> scale() {
        return Gens.doubles(-4, 4, Domains.EDGE, 0, 1, -1, 0.5, 1e-3).flatMap(k ->
                unary("scale(k=" + k + ")", Domains.arrays(Domains.reals()), x -> record(Op.SCALE, Attrs.scalars(k), x)));
    }

    /**
     * Non-negative integer exponents on any real (0 included: x^0, x^1, x^2 are smooth there),
     * negative integers away from 0, fractional exponents on positives only.
     */
    private static Gen<GradCase> pow() {
        return Gens.elements(2.0, 3.0, 1.0, 0.0, 4.0, -1.0, -2.0, 0.5, -0.5, 1.5).flatMap(p -> {
            Gen<Double> base = p != Math.rint(p) ? Domains.positives() : (p >= 0 ? Domains.reals() : Domains.awayFromZero());
            return unary("pow(p=" + p + ")", Domains.arrays(base), x -> record(Op.POW, Attrs.scalars(p), x));
        });
    }

    /**
     * Random bounds, either possibly infinite, and values on both sides and inside, kept 1e-3 from
     * the bounds (at a bound the central difference is undefined; ClampBoundsTest covers it).
     */
    private static Gen<GradCase> clamp() {
        Gen<double[]> finite = Gen.zip(Gens.doubles(-2, 1, Domains.EDGE, 0, -1), Gens.doubles(0.1, 2, Domains.EDGE, 1),
                (lo, width) -> new double[] {lo, lo + width});
        Gen<double[]> bounds = Gen.zip(finite, Gens.elements("both", "no lower", "no upper"), (b, which) -> new double[] {
            which.equals("no lower") ? Double.NEGATIVE_INFINITY : b[0],
            which.equals("no upper") ? Double.POSITIVE_INFINITY : b[1]});
        return bounds.flatMap(b -> {
            double lo = b[0];
            double hi = b[1];
            double from = Double.isFinite(lo) ? lo - 2 : hi - 4;
            double to = Double.isFinite(hi) ? hi + 2 : lo + 4;
            double mid = (from + to) / 2;
            Gen<Double> values = Gens.doubles(from, to, Domains.EDGE, from, to, mid)
                    .filter("1e-3 away from the clamp bounds", x -> Math.abs(x - lo) >= 1e-3 && Math.abs(x - hi) >= 1e-3);
            return unary("clamp(lo=" + lo + ", hi=" + hi + ")", Domains.arrays(values), x -> record(Op.CLAMP, Attrs.scalars(lo, hi), x));
        });
    }

    /** Two operands whose shapes broadcast (numpy rules), values from each operand's domain. */
    private static Gen<GradCase> binary(Op op, Gen<Double> left, Gen<Double> right) {
        return Shapes.broadcast(Domains.smallShapes(), 2).flatMap(s -> Gen.zip(
                Gen.zip(Domains.array(s.operand(0), left), Domains.array(s.operand(1), right), (a, b) -> new NDArray[] {a, b}),
                Gens.seeds(),
                (ab, seed) -> GradCase.of(op.label() + " " + s, seed, (t, a) -> record(op, Attrs.NONE, a[0], a[1]), ab)));
    }

    /** where(mask, a, b) with a fed mask (0, 1 or another non-zero value), all three broadcasting. */
    private static Gen<GradCase> whereWithFixedMask() {
        return Shapes.broadcast(Domains.smallShapes(), 3).flatMap(s -> {
            Gen<NDArray> mask = Domains.array(s.operand(0), Gens.elements(0.0, 1.0, -2.5));
            Gen<NDArray[]> ab = Gen.zip(Domains.array(s.operand(1), Domains.reals()), Domains.array(s.operand(2), Domains.reals()),
                    (a, b) -> new NDArray[] {a, b});
            return Gen.zip(Gen.zip(mask, ab, Pair::new), Gens.seeds(), (mv, seed) -> GradCase.of(
                    "where(mask, a, b) " + s, seed,
                    (t, a) -> record(Op.WHERE, Attrs.NONE, t.input("mask", s.operand(0).dims()), a[0], a[1]),
                    mv.second()).withFixed("mask", mv.first()));
        });
    }

    /** where(a > 0, a, b): the mask is a comparison of a differentiated operand (kept 1e-3 from 0). */
    private static Gen<GradCase> whereWithComparisonMask() {
        return Shapes.broadcast(Domains.smallShapes(), 2).flatMap(s -> Gen.zip(
                Gen.zip(Domains.array(s.operand(0), Domains.awayFrom(0, 1e-3)), Domains.array(s.operand(1), Domains.reals()),
                        (a, b) -> new NDArray[] {a, b}),
                Gens.seeds(),
                (ab, seed) -> GradCase.of("where(a > 0, a, b) " + s, seed,
                        (t, a) -> record(Op.WHERE, Attrs.NONE, a[0].gt(0), a[0], a[1]), ab)));
    }

    private static Gen<GradCase> reshape() {
        return Domains.smallShapes().flatMap(s -> Gen.zip(Shapes.reshapeOf(s, 3), Domains.array(s, Domains.reals()), Pair::new))
                .flatMap(p -> Gens.seeds().map(seed -> GradCase.of("reshape " + p.second().shape() + " to " + p.first(), seed,
                        (t, a) -> record(Op.RESHAPE, Attrs.ints(p.first().dims()), a[0]), p.second())));
    }

    /** Broadcast a smaller shape (leading axes dropped, axes of 1) to a larger one. */
    private static Gen<GradCase> expand() {
        return Shapes.broadcast(Domains.smallShapes(), 1).flatMap(s -> Gen.zip(Domains.array(s.operand(0), Domains.reals()), Gens.seeds(),
                (x, seed) -> GradCase.of("expand " + s.operand(0) + " to " + s.out(), seed,
                        (t, a) -> record(Op.EXPAND, Attrs.ints(s.out().dims()), a[0]), x)));
    }

    private static Gen<GradCase> transpose() {
        return Shapes.shapes(2, 3, 4).flatMap(s -> unary("transpose", Domains.array(s, Domains.reals()),
                x -> record(Op.TRANSPOSE, Attrs.NONE, x)));
    }

    private static Gen<GradCase> reduction(Op op, Function<Shape, Gen<NDArray>> values) {
        return Shapes.shapes(1, 3, 4).flatMap(s -> Gens.ints(0, s.rank() - 1).flatMap(axis ->
                unary(op.label() + "(axis=" + axis + ")", values.apply(s), x -> record(op, Attrs.ints(axis), x))));
    }

    /** Rows of w [C, D] by fed indices [N], repeats likely (N up to 8 over C up to 4), 0 and C − 1 favoured. */
    private static Gen<GradCase> gatherRows() {
        return Gen.listOf(3, Shapes.dims(4)).flatMap(d -> {
            Shape w = Shape.of(d.get(0), d.get(1));
            int n = 2 * d.get(2);
            return Gen.zip(Gen.zip(Domains.array(w, Domains.reals()), Gens.labels(Shape.of(n), d.get(0), 0.5), Pair::new), Gens.seeds(),
                    (v, seed) -> GradCase.of("gather_rows w " + w + ", " + n + " indices", seed,
                            (t, a) -> record(Op.GATHER_ROWS, Attrs.NONE, a[0], t.labels("idx", n)), v.first()).withFixed("idx", v.second()));
        });
    }

    private static Gen<GradCase> matmul() {
        Gen<List<Integer>> nkm = Gen.listOf(3, Shapes.dims(5));
        return nkm.flatMap(d -> Gen.zip(
                Gen.zip(Domains.array(Shape.of(d.get(0), d.get(1)), Domains.reals()), Domains.array(Shape.of(d.get(1), d.get(2)), Domains.reals()),
                        (a, b) -> new NDArray[] {a, b}),
                Gens.seeds(),
                (ab, seed) -> GradCase.of("matmul " + ab[0].shape() + " · " + ab[1].shape(), seed,
                        (t, a) -> record(Op.MATMUL, Attrs.NONE, a[0], a[1]), ab)));
    }

    /** A convolution of an input [n, c, h, w] with weights [o, c / groups, kh, kw]: what each of the three ops reads. */
    record ConvProblem(Conv2d geometry, int n, int c, int h, int w, int o, int kh, int kw) {
        Shape input() {
            return Shape.of(n, c, h, w);
        }

        Shape weights() {
            return Shape.of(o, c / geometry.groups(), kh, kw);
        }

        Shape output() {
            return Shape.of(n, o, geometry.outputHeight(h, kh), geometry.outputWidth(w, kw));
        }

        Attrs attrs() {
            return geometry.attrs(h, w, kh, kw);
        }

        /** The same problem with one group (the patch matrix ops take no other). */
        ConvProblem oneGroup() {
            Conv2d g = geometry;
            return new ConvProblem(new Conv2d(g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), 1),
                    n, c, h, w, o, kh, kw);
        }

        /** The patch matrix [c·kh·kw, n·H'·W']. */
        Shape patches() {
            return Shape.of(c * kh * kw, n * geometry.outputHeight(h, kh) * geometry.outputWidth(w, kw));
        }

        /** The operands of {@code op}: (x, w), (g, w) or (x, g). */
        Shape[] operands(Op op) {
            return switch (op) {
                case CONV2D -> new Shape[] {input(), weights()};
                case CONV2D_INPUT_GRAD -> new Shape[] {output(), weights()};
                case CONV2D_WEIGHT_GRAD -> new Shape[] {input(), output()};
                default -> throw new IllegalArgumentException(op + " is no convolution");
            };
        }
    }

    /**
     * Small convolution problems: one or two samples and groups, one or two channels per group on
     * either side, kernels up to 3×3, stride and dilation 1 or 2, padding 0 or 1, and an input from
     * the smallest that leaves one output position to three more (so odd sizes, where the last
     * stride does not fit, come up often). Shrinks toward 1×1 kernels, one channel, no padding.
     */
    static Gen<ConvProblem> convProblems() {
        return Gen.sequence(List.of(Gens.ints(1, 2), Gens.ints(1, 2), Gens.ints(1, 2), Gens.ints(1, 2), Gens.ints(1, 3),
                Gens.ints(1, 3), Gens.ints(1, 2), Gens.ints(1, 2), Gens.ints(0, 1), Gens.ints(1, 2), Gens.ints(0, 3),
                Gens.ints(0, 3))).map(v -> {
                    int groups = v.get(1);
                    int kh = v.get(4);
                    int kw = v.get(5);
                    Conv2d g = new Conv2d(v.get(6), v.get(7), v.get(8), v.get(8), v.get(9), v.get(9), groups);
                    int h = Math.max(1, g.dilationH() * (kh - 1) + 1 - 2 * g.padH()) + v.get(10);
                    int w = Math.max(1, g.dilationW() * (kw - 1) + 1 - 2 * g.padW()) + v.get(11);
                    return new ConvProblem(g, v.get(0), groups * v.get(2), h, w, groups * v.get(3), kh, kw);
                });
    }

    private static Gen<GradCase> convolution(Op op) {
        return convProblems().flatMap(p -> {
            Shape[] in = p.operands(op);
            return Gen.zip(Gen.zip(Domains.array(in[0], Domains.reals()), Domains.array(in[1], Domains.reals()),
                            (a, b) -> new NDArray[] {a, b}),
                    Gens.seeds(),
                    (ab, seed) -> GradCase.of(op.label() + " " + in[0] + ", " + in[1] + ", " + p.geometry(), seed,
                            (t, a) -> record(op, p.attrs(), a[0], a[1]), ab));
        });
    }

    /** Any order of the axes of a random shape of rank 1 to 4 (the identity and single swaps among them). */
    private static Gen<GradCase> permute() {
        return Shapes.shapes(1, 4, 4).flatMap(shape -> Gen.zip(Gens.seeds(), Domains.array(shape, Domains.reals()), (seed, x) -> {
            List<Integer> axes = new java.util.ArrayList<>();
            for (int k = 0; k < shape.rank(); k++) {
                axes.add(k);
            }
            java.util.Collections.shuffle(axes, new java.util.Random(seed));
            int[] perm = axes.stream().mapToInt(Integer::intValue).toArray();
            return GradCase.of("permute " + shape + " " + java.util.Arrays.toString(perm), seed,
                    (t, a) -> record(Op.PERMUTE, Attrs.ints(perm), a[0]), x);
        }));
    }

    /** im2col of an image batch, or col2im of a patch matrix, of one-group convolution problems. */
    private static Gen<GradCase> patches(Op op) {
        return convProblems().map(ConvProblem::oneGroup).flatMap(p -> {
            Shape in = op == Op.IM2COL ? p.input() : p.patches();
            return Gen.zip(Domains.array(in, Domains.reals()), Gens.seeds(),
                    (a, seed) -> GradCase.of(op.label() + " " + in + ", " + p.geometry() + ", kernel " + p.kh() + "×" + p.kw(), seed,
                            (t, x) -> record(op, p.attrs(), x[0]), a));
        });
    }

    /** A max pooling of an input [n, c, h, w] over {@code window}. */
    public record PoolProblem(Pool2d window, int n, int c, int h, int w) {
        public Shape input() {
            return Shape.of(n, c, h, w);
        }

        public Shape output() {
            return Shape.of(n, c, window.outputHeight(h), window.outputWidth(w));
        }
    }

    /**
     * Small poolings: kernels up to 3×3, stride 1 or 2 (overlapping windows with stride 1 and a
     * kernel of 2 or 3), padding up to half the kernel, inputs from the smallest with one window
     * to three more.
     */
    public static Gen<PoolProblem> poolProblems() {
        return Gen.sequence(List.of(Gens.ints(1, 2), Gens.ints(1, 3), Gens.ints(1, 3), Gens.ints(1, 3), Gens.ints(1, 2),
                Gens.ints(1, 2), Gens.ints(0, 1), Gens.ints(0, 1), Gens.ints(0, 3), Gens.ints(0, 3))).map(v -> {
                    int kh = v.get(2);
                    int kw = v.get(3);
                    Pool2d p = new Pool2d(kh, kw, v.get(4), v.get(5), Math.min(v.get(6), kh / 2), Math.min(v.get(7), kw / 2));
                    return new PoolProblem(p, v.get(0), v.get(1), Math.max(1, kh - 2 * p.padH()) + v.get(8),
                            Math.max(1, kw - 2 * p.padW()) + v.get(9));
                });
    }

    /**
     * select(x, v) and scatter(x, g): x decides the winners (no gradient flows into it; its values
     * 1e-4 apart, so that no winner changes within a difference step), the other operand is linear.
     */
    private static Gen<GradCase> pooling(Op op) {
        return poolProblems().flatMap(p -> {
            Shape second = op == Op.MAX_POOL2D_SELECT ? p.input() : p.output();
            return Gen.zip(Gen.zip(Domains.distinctArray(p.input()), Domains.array(second, Domains.reals()),
                            (a, b) -> new NDArray[] {a, b}),
                    Gens.seeds(),
                    (ab, seed) -> GradCase.of(op.label() + " " + p.input() + ", " + p.window(), seed,
                            (t, a) -> record(op, p.window().attrs(), a[0], a[1]), ab));
        });
    }
}
