package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.arcgrad.autodiff.Attrs;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Philox;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.arcgrad.tests.property.Shapes;
import org.junit.jupiter.api.Test;

/**
 * Every primitive's value against a reference written here, with its own indexing (row-major
 * multi-indices, numpy broadcasting from the right, reductions and products as plain loops): a
 * gradient property cannot see a wrong value that is consistent with its own gradient (a clamp
 * with the wrong bound, max taking the second of two tied maxima, a comparison off at ties), these
 * can. Random shapes with dims of 1 and broadcasting; values with exact ties and domain edges.
 */
class OpValuesTest {
    private static final double TOL = 1e-13;

    /** Builds {@code op} over fed inputs on a fresh tape and returns the interpreter's value. */
    private static NDArray evaluate(Op op, Attrs attrs, NDArray... inputs) {
        Tape tape = new Tape();
        Tensor[] in = new Tensor[inputs.length];
        Map<Tensor, NDArray> feeds = new java.util.HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            in[i] = tape.input("in" + i, inputs[i].shape().dims());
            feeds.put(in[i], inputs[i]);
        }
        return Interpreter.run(feeds, tape.record(op, attrs, in))[0];
    }

    private static void assertValues(String what, double[] expected, NDArray got) {
        assertEquals(expected.length, got.size(), what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double g = got.data()[i];
            if (!(Double.isNaN(e) && Double.isNaN(g))) {
                assertEquals(e, g, TOL * Math.max(1, Math.abs(e)), what + " [" + i + "]");
            }
        }
    }

    // ---- the reference's own indexing ----------------------------------------------------------

    private static int[] unravel(int flat, int[] dims) {
        int[] at = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            at[a] = flat % dims[a];
            flat /= dims[a];
        }
        return at;
    }

    private static int ravel(int[] at, int[] dims) {
        int flat = 0;
        for (int a = 0; a < dims.length; a++) {
            flat = flat * dims[a] + at[a];
        }
        return flat;
    }

    /** a's element at output index {@code out} (of shape {@code outDims}) under numpy broadcasting. */
    private static double broadcastAt(NDArray a, int[] out, int[] outDims) {
        int[] dims = a.shape().dims();
        int[] at = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            int o = out[outDims.length - dims.length + k];
            at[k] = dims[k] == 1 ? 0 : o;
        }
        return a.data()[ravel(at, dims)];
    }

    private static double[] pointwise(Shape out, DoubleTernary f, NDArray... in) {
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] at = unravel(i, out.dims());
            r[i] = f.apply(broadcastAt(in[0], at, out.dims()), in.length > 1 ? broadcastAt(in[1], at, out.dims()) : 0,
                    in.length > 2 ? broadcastAt(in[2], at, out.dims()) : 0);
        }
        return r;
    }

    @FunctionalInterface
    private interface DoubleTernary {
        double apply(double a, double b, double c);
    }

    // ---- elementwise ---------------------------------------------------------------------------

    private record Unary(Op op, Attrs attrs, DoubleUnaryOperator f, Gen<Double> domain) {
        @Override
        public String toString() {
            return op + " " + attrs;
        }
    }

    private record UnaryCase(Unary u, NDArray x) {
    }

    private record BinaryCase(Op op, NDArray a, NDArray b) {
    }

    private record WhereCase(NDArray mask, NDArray a, NDArray b) {
    }

    private record ViewCase(Shape out, NDArray x) {
    }

    private record AxisCase(int axis, NDArray x) {
    }

    private record ProductCase(NDArray a, NDArray b) {
    }

    private record LabelsCase(int classes, NDArray y) {
    }

    @Test
    void unaryOpsAreTheirFunctions() {
        Gen<Double> reals = Gens.doubles(-3, 3, 0.3, 0, 1, -1, 0.5, -0.5, 3, -3);
        Gen<Double> positives = Gens.doubles(1e-3, 10, 0.3, 1e-3, 1, 10, 0.25, 4);
        Gen<double[]> clampBounds = Gen.zip(Gens.doubles(-2, 1, 0.3, -1, 0, 0.5), Gens.doubles(0, 2, 0.3, 0, 1),
                (lo, w) -> new double[] {lo, lo + w});
        Gen<Unary> ops = Gens.oneOf(List.of(
                Gen.constant(new Unary(Op.NEG, Attrs.NONE, x -> -x, reals)),
                Gen.constant(new Unary(Op.EXP, Attrs.NONE, Math::exp, reals)),
                Gen.constant(new Unary(Op.LOG, Attrs.NONE, Math::log, positives)),
                Gen.constant(new Unary(Op.SQRT, Attrs.NONE, Math::sqrt, positives)),
                Gen.constant(new Unary(Op.COS, Attrs.NONE, Math::cos, reals)),
                Gen.constant(new Unary(Op.SIN, Attrs.NONE, Math::sin, reals)),
                Gen.constant(new Unary(Op.ACOS, Attrs.NONE, Math::acos, Gens.doubles(-1, 1, 0.3, -1, 1, 0))),
                Gen.constant(new Unary(Op.DETACH, Attrs.NONE, x -> x, reals)),
                Gen.constant(new Unary(Op.ABS, Attrs.NONE, Math::abs, reals)),
                Gen.constant(new Unary(Op.LOG1P, Attrs.NONE, Math::log1p, Gens.doubles(-0.99, 3, 0.3, -0.99, 0, 1e-9, -1e-9, 3))),
                Gens.doubles(-4, 4, 0.3, 0, 1, -1, 0.5).map(k -> new Unary(Op.SCALE, Attrs.scalars(k), x -> x * k, reals)),
                Gens.elements(2.0, 3.0, 0.0, 1.0, -1.0, -2.0, 0.5, -0.5, 1.5, 2.5).map(p ->
                        new Unary(Op.POW, Attrs.scalars(p), x -> Math.pow(x, p), p == Math.rint(p) && p > 0 ? reals : positives)),
                clampBounds.flatMap(b -> Gens.elements(new double[] {b[0], b[1]}, new double[] {Double.NEGATIVE_INFINITY, b[1]},
                        new double[] {b[0], Double.POSITIVE_INFINITY}).map(lh -> new Unary(Op.CLAMP, Attrs.scalars(lh[0], lh[1]),
                        x -> x < lh[0] ? lh[0] : x > lh[1] ? lh[1] : x,
                        // values on both sides, inside, and exactly at the bounds
                        Gens.doubles(-3, 3, 0.4, Double.isFinite(lh[0]) ? lh[0] : 0, Double.isFinite(lh[1]) ? lh[1] : 0, 0))))));
        Property.forAll("unary ops' values", ops.flatMap(u -> Shapes.shapes(0, 3, 4).flatMap(s -> Gens.arrays(s, u.domain()))
                .map(x -> new UnaryCase(u, x))), c -> {
                    Unary u = c.u();
                    NDArray x = c.x();
                    double[] want = new double[x.size()];
                    for (int i = 0; i < want.length; i++) {
                        want[i] = u.f().applyAsDouble(x.data()[i]);
                    }
                    assertValues(u.op() + " " + u.attrs() + " of " + x, want, evaluate(u.op(), u.attrs(), x));
                });
    }

    @Test
    void binaryOpsBroadcastAndCompareExactlyAtTies() {
        Map<Op, DoubleBinaryOperator> ops = new java.util.LinkedHashMap<>();
        ops.put(Op.ADD, (a, b) -> a + b);
        ops.put(Op.SUB, (a, b) -> a - b);
        ops.put(Op.MUL, (a, b) -> a * b);
        ops.put(Op.DIV, (a, b) -> a / b);
        ops.put(Op.GT, (a, b) -> a > b ? 1 : 0);
        ops.put(Op.GE, (a, b) -> a >= b ? 1 : 0);
        ops.put(Op.LT, (a, b) -> a < b ? 1 : 0);
        ops.put(Op.LE, (a, b) -> a <= b ? 1 : 0);
        ops.put(Op.EQ, (a, b) -> a == b ? 1 : 0);
        ops.put(Op.MAXIMUM, Math::max);
        ops.put(Op.MINIMUM, Math::min);
        // few distinct values, so that operands tie often; no zero divisors
        Gen<Double> values = Gens.elements(-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0);
        Gen<BinaryCase> cases = Gens.elements(ops.keySet().toArray(new Op[0])).flatMap(op -> Shapes.broadcast(Shapes.shapes(0, 3, 4), 2)
                .flatMap(s -> Gen.zip(Gens.arrays(s.operand(0), values), Gens.arrays(s.operand(1), values),
                        (a, b) -> new BinaryCase(op, a, b))));
        Property.forAll("binary ops' values", cases, c -> {
            DoubleBinaryOperator f = ops.get(c.op());
            Shape out = Shape.broadcast(c.a().shape(), c.b().shape());
            assertValues(c.toString(), pointwise(out, (x, y, z) -> f.applyAsDouble(x, y), c.a(), c.b()),
                    evaluate(c.op(), Attrs.NONE, c.a(), c.b()));
        });
    }

    @Test
    void whereSelectsByAnyNonZeroMask() {
        Gen<WhereCase> cases = Shapes.broadcast(Shapes.shapes(0, 3, 4), 3).flatMap(s -> Gen.zip(
                Gens.arrays(s.operand(0), Gens.elements(0.0, 1.0, -2.5, -0.0)),
                Gen.zip(Gens.arrays(s.operand(1), Gens.doubles(-3, 3)), Gens.arrays(s.operand(2), Gens.doubles(-3, 3)),
                        (a, b) -> new NDArray[] {a, b}),
                (m, ab) -> new WhereCase(m, ab[0], ab[1])));
        Property.forAll("where's values", cases, c -> {
            Shape out = Shape.broadcast(Shape.broadcast(c.mask().shape(), c.a().shape()), c.b().shape());
            assertValues(c.toString(), pointwise(out, (x, y, z) -> x != 0 ? y : z, c.mask(), c.a(), c.b()),
                    evaluate(Op.WHERE, Attrs.NONE, c.mask(), c.a(), c.b()));
        });
    }

    // ---- views, reductions, products, one-hot --------------------------------------------------------

    @Test
    void viewsMoveNoValueAndTransposeSwapsTheLastTwoAxes() {
        Property.forAll("expand, reshape and transpose", Shapes.broadcast(Shapes.shapes(0, 3, 4), 1)
                .flatMap(s -> Gens.arrays(s.operand(0), Gens.doubles(-3, 3)).map(x -> new ViewCase(s.out(), x))), c -> {
                    Shape out = c.out();
                    NDArray x = c.x();
                    assertValues("expand " + x + " to " + out, pointwise(out, (a, b, z) -> a, x),
                            evaluate(Op.EXPAND, Attrs.ints(out.dims()), x));
                    int[] flat = {x.size()};
                    assertValues("reshape " + x, x.data(), evaluate(Op.RESHAPE, Attrs.ints(flat), x));
                    if (x.shape().rank() >= 2) {
                        int[] d = x.shape().dims();
                        int r = d.length;
                        int[] td = d.clone();
                        td[r - 1] = d[r - 2];
                        td[r - 2] = d[r - 1];
                        double[] want = new double[x.size()];
                        for (int i = 0; i < want.length; i++) {
                            int[] at = unravel(i, td);
                            int t = at[r - 1];
                            at[r - 1] = at[r - 2];
                            at[r - 2] = t;
                            want[i] = x.data()[ravel(at, d)];
                        }
                        assertValues("transpose " + x, want, evaluate(Op.TRANSPOSE, Attrs.NONE, x));
                    }
                });
    }

    @Test
    void sumAndMaxAlongAnAxisWithTiedMaxima() {
        Gen<AxisCase> cases = Shapes.shapes(1, 3, 4).flatMap(s -> Gen.zip(Gens.ints(0, s.rank() - 1),
                Gens.arrays(s, Gens.elements(-1.0, 0.0, 2.0, 2.5, -3.0)), AxisCase::new));
        Property.forAll("sum and max along an axis", cases, c -> {
            int axis = c.axis();
            NDArray x = c.x();
            int[] d = x.shape().dims();
            int[] od = x.shape().without(axis).dims();
            double[] sum = new double[x.shape().without(axis).size()];
            double[] max = new double[sum.length];
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < x.size(); i++) {
                int[] at = unravel(i, d);
                int[] o = new int[od.length];
                for (int k = 0, j = 0; k < d.length; k++) {
                    if (k != axis) {
                        o[j++] = at[k];
                    }
                }
                int f = ravel(o, od);
                sum[f] += x.data()[i];
                max[f] = Math.max(max[f], x.data()[i]);
            }
            assertValues("sum along " + axis + " of " + x, sum, evaluate(Op.SUM, Attrs.ints(axis), x));
            assertValues("max along " + axis + " of " + x, max, evaluate(Op.MAX, Attrs.ints(axis), x));
        });
    }

    @Test
    void matmulIsTheTripleLoop() {
        Gen<ProductCase> cases = Gen.listOf(3, Shapes.dims(5)).flatMap(nkm -> Gen.zip(
                Gens.arrays(Shape.of(nkm.get(0), nkm.get(1)), Gens.doubles(-3, 3)), Gens.arrays(Shape.of(nkm.get(1), nkm.get(2)), Gens.doubles(-3, 3)),
                ProductCase::new));
        Property.forAll("matmul", cases, c -> {
            NDArray a = c.a();
            NDArray b = c.b();
            int n = a.shape().dim(0);
            int k = a.shape().dim(1);
            int m = b.shape().dim(1);
            double[] want = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    for (int l = 0; l < k; l++) {
                        want[i * m + j] += a.data()[i * k + l] * b.data()[l * m + j];
                    }
                }
            }
            assertValues(a + " · " + b, want, evaluate(Op.MATMUL, Attrs.NONE, a, b));
        });
    }

    @Test
    void oneHotMarksTheLabelColumn() {
        Gen<LabelsCase> cases = Shapes.shapes(0, 2, 4).flatMap(s -> Gens.ints(1, 5).flatMap(classes ->
                Gens.labels(s, classes, 0.5).map(y -> new LabelsCase(classes, y))));
        Property.forAll("oneHot", cases, c -> {
            int classes = c.classes();
            NDArray y = c.y();
            double[] want = new double[y.size() * classes];
            for (int i = 0; i < y.size(); i++) {
                want[i * classes + (int) y.data()[i]] = 1;
            }
            Tape tape = new Tape();
            Tensor labels = tape.labels("y", y.shape().dims());
            NDArray got = Interpreter.run(Map.of(labels, y), tape.record(Op.ONE_HOT, Attrs.ints(classes), labels))[0];
            assertValues("oneHot(" + y + ", " + classes + ")", want, got);
        });
    }

    @Test
    void maximumAndMinimumPassNaNFromEitherSide() {
        NDArray a = NDArray.of(Shape.of(3), Double.NaN, 1, Double.NaN);
        NDArray b = NDArray.of(Shape.of(3), 1, Double.NaN, Double.NaN);
        for (Op op : List.of(Op.MAXIMUM, Op.MINIMUM)) {
            for (double v : evaluate(op, Attrs.NONE, a, b).data()) {
                assertTrue(Double.isNaN(v), op + " of a NaN is NaN");
            }
        }
    }

    @Test
    void gatherRowsCopiesTheIndexedRowsRepeatsIncluded() {
        Gen<NDArray[]> cases = Gens.ints(1, 4).flatMap(c -> Gens.ints(1, 4).flatMap(d -> Gens.ints(1, 7).flatMap(n -> Gen.zip(
                Gens.arrays(Shape.of(c, d), Gens.doubles(-3, 3)), Gens.labels(Shape.of(n), c, 0.5), (w, idx) -> new NDArray[] {w, idx}))));
        Property.forAll("gatherRows", cases, c -> {
            NDArray w = c[0];
            NDArray idx = c[1];
            int d = w.shape().dim(1);
            double[] want = new double[idx.size() * d];
            for (int i = 0; i < idx.size(); i++) {
                for (int j = 0; j < d; j++) {
                    want[i * d + j] = w.get((int) idx.data()[i], j);
                }
            }
            Tape tape = new Tape();
            Tensor wt = tape.input("w", w.shape().dims());
            Tensor it = tape.labels("idx", idx.size());
            assertValues("gatherRows " + w + " at " + idx, want,
                    Interpreter.run(Map.of(wt, w, it, idx), Functional.gatherRows(wt, it))[0]);
        });
    }

    @Test
    void gatherRowsRefusesAnIndexOutsideTheRows() {
        Tape tape = new Tape();
        Tensor w = tape.input("w", 3, 2);
        Tensor idx = tape.labels("idx", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interpreter.run(
                Map.of(w, NDArray.zeros(Shape.of(3, 2)), idx, NDArray.of(Shape.of(2), 1, 3)), Functional.gatherRows(w, idx)));
        assertTrue(e.getMessage().contains("index 3.0 at position 1 is not an integer in [0, 3)"), e.getMessage());
    }

    @Test
    void arangeEyeAndTrianglesAreTheirDefinitions() {
        Property.forAll("arange, eye, triu, tril", Gens.ints(1, 6).flatMap(n -> Gens.ints(-3, 3).map(k -> new int[] {n, k})), nk -> {
            int n = nk[0];
            int k = nk[1];
            Tape tape = new Tape();
            NDArray[] got = Interpreter.run(Map.of(), tape.arange(n), tape.eye(n), tape.triu(n, k), tape.tril(n, k));
            double[] range = new double[n];
            double[][] masks = new double[3][n * n];
            for (int i = 0; i < n; i++) {
                range[i] = i;
                for (int j = 0; j < n; j++) {
                    masks[0][i * n + j] = i == j ? 1 : 0;
                    masks[1][i * n + j] = j - i >= k ? 1 : 0;
                    masks[2][i * n + j] = j - i <= k ? 1 : 0;
                }
            }
            assertValues("arange(" + n + ")", range, got[0]);
            assertValues("eye(" + n + ")", masks[0], got[1]);
            assertValues("triu(" + n + ", " + k + ")", masks[1], got[2]);
            assertValues("tril(" + n + ", " + k + ")", masks[2], got[3]);
        });
    }

    @Test
    void integerLabelsCompareWithLabelsAndBecomeFloats() {
        Property.forAll("label equality", Gens.ints(1, 6).flatMap(n -> Gens.labels(Shape.of(n), 3, 0.3)), y -> {
            int n = y.size();
            Tape tape = new Tape();
            Tensor labels = tape.labels("y", n);
            NDArray[] got = Interpreter.run(Map.of(labels, y), labels.reshape(n, 1).eq(labels.reshape(1, n)),
                    labels.reshape(n, 1).ne(labels.reshape(1, n)), labels.toFloat(), labels.lt(1));
            double[] same = new double[n * n];
            double[] differ = new double[n * n];
            double[] below = new double[n];
            for (int i = 0; i < n; i++) {
                below[i] = y.data()[i] < 1 ? 1 : 0;
                for (int j = 0; j < n; j++) {
                    same[i * n + j] = y.data()[i] == y.data()[j] ? 1 : 0;
                    differ[i * n + j] = 1 - same[i * n + j];
                }
            }
            assertValues("y_i == y_j", same, got[0]);
            assertValues("y_i != y_j", differ, got[1]);
            assertValues("toFloat", y.data(), got[2]);
            assertValues("y < 1", below, got[3]);
        });
    }

    @Test
    void randomSourcesArePhiloxDrawsOfTheirStreams() {
        Tape tape = new Tape();
        Tensor seed = tape.labels("seed");
        Tensor u = tape.uniform(seed, 3, 5);
        Tensor u2 = tape.uniform(seed, 3, 5);
        Tensor z = tape.normal(seed, 40, 50);
        NDArray[] got = Interpreter.run(Map.of(seed, NDArray.scalar(-7)), u, u2, z);
        for (int i = 0; i < 15; i++) {
            assertEquals((Philox.draw(i, 0, -7)[0] >>> 8) * 0x1p-24, got[0].data()[i], "uniform " + i);
            assertEquals((Philox.draw(i, 1, -7)[0] >>> 8) * 0x1p-24, got[1].data()[i], "second stream " + i);
        }
        assertFalse(Arrays.equals(got[0].data(), got[1].data()), "two draws with one seed differ");
        double mean = Arrays.stream(got[2].data()).average().orElseThrow();
        double var = Arrays.stream(got[2].data()).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        // 2000 standard normals: the mean within 4 standard errors of 0, the variance within 15% of 1
        assertEquals(0, mean, 4 / Math.sqrt(2000));
        assertEquals(1, var, 0.15);
        NDArray again = Interpreter.run(Map.of(seed, NDArray.scalar(-7)), u)[0];
        assertArrayEquals(got[0].data(), again.data(), "a seed gives the same draw every time");
        NDArray other = Interpreter.run(Map.of(seed, NDArray.scalar(8)), u)[0];
        assertFalse(Arrays.equals(got[0].data(), other.data()), "another seed draws anew");
    }
}
