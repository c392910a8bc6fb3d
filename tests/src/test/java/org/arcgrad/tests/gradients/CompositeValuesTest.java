package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.BiFunction;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;

/**
 * The composites' values against their formulas evaluated directly on [N, C] matrices, along
 * either axis: normalize (eps included: a zero row stays zero), linear with and without bias,
 * cosAdd, gather, mean, logSumExp (also with a row of −∞ shifts kept finite by its maximum),
 * logSoftmax, softmax, crossEntropy and relu. A gradient property cannot see a wrong eps or a
 * wrong shift that its gradient follows; these values can.
 */
class CompositeValuesTest {
    private static final double TOL = 1e-12;

    private record Matrix(int rows, int cols, double[] data) {
        double at(int i, int j) {
            return data[i * cols + j];
        }

        NDArray array() {
            return NDArray.of(Shape.of(rows, cols), data.clone());
        }

        /** Entry j of line i along {@code axis}: a row when axis is 1, a column when it is 0. */
        double along(int axis, int line, int j) {
            return axis == 1 ? at(line, j) : at(j, line);
        }

        int lines(int axis) {
            return axis == 1 ? rows : cols;
        }

        int length(int axis) {
            return axis == 1 ? cols : rows;
        }
    }

    private static Gen<Matrix> matrices(Gen<Double> values) {
        return Gen.zip(Gens.ints(1, 5), Gens.ints(1, 5), (r, c) -> new int[] {r, c}).flatMap(rc ->
                Gens.arrays(Shape.of(rc[0], rc[1]), values).map(a -> new Matrix(rc[0], rc[1], a.data())));
    }

    private static final Gen<Double> REALS = Gens.doubles(-4, 4, 0.3, 0, 1, -1, 2.5, -2.5);

    /** f on a fed [N, C] input, by the interpreter. */
    private static NDArray run(Matrix m, BiFunction<Tape, Tensor, Tensor> f) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", m.rows(), m.cols());
        return Interpreter.run(Map.of(x, m.array()), f.apply(tape, x))[0];
    }

    private static void assertValues(String what, double[] expected, NDArray got) {
        assertEquals(expected.length, got.size(), what + ": size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got.data()[i], TOL * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    /** A per-line quantity laid out as the keepdim=false reduction along {@code axis} is. */
    private interface LineFunction {
        double apply(Matrix m, int axis, int line);
    }

    private static double[] perLine(Matrix m, int axis, LineFunction f) {
        double[] r = new double[m.lines(axis)];
        for (int l = 0; l < r.length; l++) {
            r[l] = f.apply(m, axis, l);
        }
        return r;
    }

    /** An elementwise result of the same shape, from the element and its line's quantity. */
    private interface ElementFunction {
        double apply(double x, double lineValue);
    }

    private static double[] perElement(Matrix m, int axis, LineFunction line, ElementFunction f) {
        double[] r = new double[m.data().length];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                r[i * m.cols() + j] = f.apply(m.at(i, j), line.apply(m, axis, axis == 1 ? i : j));
            }
        }
        return r;
    }

    private static double norm(Matrix m, int axis, int line) {
        double s = 0;
        for (int j = 0; j < m.length(axis); j++) {
            s += m.along(axis, line, j) * m.along(axis, line, j);
        }
        return Math.sqrt(s);
    }

    private static double max(Matrix m, int axis, int line) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m.length(axis); j++) {
            best = Math.max(best, m.along(axis, line, j));
        }
        return best;
    }

    private static double logSumExp(Matrix m, int axis, int line) {
        double top = max(m, axis, line);
        double s = 0;
        for (int j = 0; j < m.length(axis); j++) {
            s += Math.exp(m.along(axis, line, j) - top);
        }
        return top + Math.log(s);
    }

    private static double mean(Matrix m, int axis, int line) {
        double s = 0;
        for (int j = 0; j < m.length(axis); j++) {
            s += m.along(axis, line, j);
        }
        return s / m.length(axis);
    }

    private record AlongAxis(Matrix m, int axis) {
    }

    private static Gen<AlongAxis> withAxis(Gen<Matrix> matrices) {
        return Gen.zip(matrices, Gens.ints(0, 1), AlongAxis::new);
    }

    private record Eps(AlongAxis x, double eps) {
    }

    private record Labelled(Matrix m, NDArray y) {
    }

    private record Sizes(java.util.List<Integer> nkc, long seed) {
    }

    private record Margin(Matrix m, double margin) {
    }

    @Test
    void normalizeDividesByTheNormOrEps() {
        // rows of zeros (norm below eps) come from the 0.0 edge in every position
        Gen<Matrix> m = matrices(Gens.doubles(-3, 3, 0.5, 0.0));
        Gen<Eps> cases = Gen.zip(withAxis(m), Gens.elements(1e-12, 0.5, 2.0), Eps::new);
        Property.forAll("normalize's values", cases, c -> {
            Matrix x = c.x().m();
            int axis = c.x().axis();
            double eps = c.eps();
            assertValues("normalize(" + x + ", axis " + axis + ", eps " + eps + ")",
                    perElement(x, axis, CompositeValuesTest::norm, (v, n) -> v / Math.max(n, eps)),
                    run(x, (t, in) -> Functional.normalize(in, axis, eps)));
        });
    }

    @Test
    void reductionsAlongAnAxis() {
        Property.forAll("mean, logSumExp, logSoftmax and softmax", withAxis(matrices(REALS)), c -> {
            Matrix x = c.m();
            int axis = c.axis();
            String at = x + " along " + axis;
            assertValues("mean " + at, perLine(x, axis, CompositeValuesTest::mean), run(x, (t, in) -> in.mean(axis, false)));
            assertValues("logSumExp " + at, perLine(x, axis, CompositeValuesTest::logSumExp),
                    run(x, (t, in) -> Functional.logSumExp(in, axis, false)));
            assertValues("logSoftmax " + at, perElement(x, axis, CompositeValuesTest::logSumExp, (v, l) -> v - l),
                    run(x, (t, in) -> Functional.logSoftmax(in, axis)));
            assertValues("softmax " + at, perElement(x, axis, CompositeValuesTest::logSumExp, (v, l) -> Math.exp(v - l)),
                    run(x, (t, in) -> Functional.softmax(in, axis)));
        });
    }

    @Test
    void logSumExpOfLargeValuesStaysFinite() {
        Matrix x = new Matrix(2, 3, new double[] {1000, 999, 998, -1000, -1001, Double.NEGATIVE_INFINITY});
        assertValues("logSumExp of large values", new double[] {1000 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), -1000 + Math.log(1 + Math.exp(-1))},
                run(x, (t, in) -> Functional.logSumExp(in, 1, false)));
    }

    @Test
    void crossEntropyGatherAndRelu() {
        Gen<Labelled> cases = matrices(REALS).flatMap(m -> Gens.labels(Shape.of(m.rows()), m.cols(), 0.5).map(y -> new Labelled(m, y)));
        Property.forAll("crossEntropy, gather and relu", cases, c -> {
            Matrix x = c.m();
            NDArray y = c.y();
            double[] gathered = new double[x.rows()];
            double loss = 0;
            for (int i = 0; i < x.rows(); i++) {
                gathered[i] = x.at(i, (int) y.data()[i]);
                loss += logSumExp(x, 1, i) - gathered[i];
            }
            Tape tape = new Tape();
            Tensor in = tape.input("x", x.rows(), x.cols());
            Tensor labels = tape.labels("y", x.rows());
            NDArray[] got = Interpreter.run(Map.of(in, x.array(), labels, y),
                    Functional.crossEntropy(in, labels), Functional.gather(in, labels), Functional.relu(in));
            assertValues("crossEntropy of " + x + " and " + y, new double[] {loss / x.rows()}, got[0]);
            assertValues("gather of " + x + " at " + y, gathered, got[1]);
            double[] relu = x.data().clone();
            for (int i = 0; i < relu.length; i++) {
                relu[i] = relu[i] > 0 ? relu[i] : 0;
            }
            assertValues("relu of " + x, relu, got[2]);
        });
    }

    @Test
    void linearWithAndWithoutBias() {
        Gen<Sizes> cases = Gen.zip(Gen.listOf(3, Gens.ints(1, 5)), Gens.seeds(), Sizes::new);
        Property.forAll("linear", cases, c -> {
            java.util.List<Integer> nkc = c.nkc();
            java.util.Random r = new java.util.Random(c.seed());
            int n = nkc.get(0);
            int k = nkc.get(1);
            int classes = nkc.get(2);
            NDArray x = NDArray.uniform(Shape.of(n, k), -2, 2, r);
            NDArray w = NDArray.uniform(Shape.of(classes, k), -2, 2, r);
            NDArray b = NDArray.uniform(Shape.of(classes), -2, 2, r);
            double[] want = new double[n * classes];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < classes; j++) {
                    for (int l = 0; l < k; l++) {
                        want[i * classes + j] += x.data()[i * k + l] * w.data()[j * k + l];
                    }
                }
            }
            Tape tape = new Tape();
            Tensor xt = tape.input("x", n, k);
            Tensor wt = tape.input("w", classes, k);
            Tensor bt = tape.input("b", classes);
            NDArray[] got = Interpreter.run(Map.of(xt, x, wt, w, bt, b), Functional.linear(xt, wt), Functional.linear(xt, wt, bt));
            assertValues("x·Wᵀ", want, got[0]);
            for (int i = 0; i < want.length; i++) {
                want[i] += b.data()[i % classes];
            }
            assertValues("x·Wᵀ + b", want, got[1]);
        });
    }

    @Test
    void cosAddIsTheAngleSumOnTheWholeRange() {
        Gen<Margin> cases = Gen.zip(matrices(Gens.doubles(-1, 1, 0.3, -1, 1, 0, 0.5, -0.5)), Gens.doubles(0, Math.PI / 2, 0.3, 0, 0.5),
                Margin::new);
        Property.forAll("cosAdd", cases, c -> {
            Matrix x = c.m();
            double m = c.margin();
            double[] want = new double[x.data().length];
            for (int i = 0; i < want.length; i++) {
                double v = x.data()[i];
                // cos(acos(v) + m) where the radicand is above the clamp, the README's clamped value below it
                double r = 1 - v * v;
                want[i] = r >= Functional.COS_ADD_RADICAND_EPS ? Math.cos(Math.acos(v) + m)
                        : v * Math.cos(m) - Math.sqrt(Functional.COS_ADD_RADICAND_EPS) * Math.sin(m);
            }
            assertValues("cosAdd(" + x + ", " + m + ")", want, run(x, (t, in) -> Functional.cosAdd(in, m)));
        });
    }
}
