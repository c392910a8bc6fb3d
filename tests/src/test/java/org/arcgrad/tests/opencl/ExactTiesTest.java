package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.PRelu;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exact ties between fed values, on the interpreter and on the device under both kernel plans:
 * comparison masks, where, clamp at its bounds, max with tied maxima (along rows, along columns,
 * and along rows long enough for the work-group reduction), relu and PReLU at 0. Nothing here is
 * arithmetic that rounds: masks select fed values, so both backends must give the stated numbers
 * exactly (a gradient split among three tied maxima to one fp32 rounding of 1/3). The random-graph
 * properties cannot pin this: their slack for rounding noise covers ties between computed values.
 */
class ExactTiesTest {
    private static final double[] X = {0, 1, 2, -1, -0.0, 3, 5, -2};
    private static final double[] Y = {0, 1, 1, 0, 0, 3, 5, 0};

    /** Runs {@code outputs} on the interpreter and the device and holds both to {@code expected}, within {@code tolerance}. */
    private static void assertBoth(PlanChoice plan, Map<Tensor, NDArray> feeds, Tensor[] outputs, double[][] expected, double tolerance,
                                   String... names) {
        NDArray[] ref = Interpreter.run(feeds, outputs);
        NDArray[] dev;
        try (Executable e = Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), outputs)) {
            dev = e.run(feeds);
        }
        for (int k = 0; k < outputs.length; k++) {
            for (int i = 0; i < expected[k].length; i++) {
                assertEquals(expected[k][i], ref[k].data()[i], tolerance, "interpreter, " + names[k] + "[" + i + "]");
                assertEquals(expected[k][i], dev[k].data()[i], tolerance, plan + " plan, " + names[k] + "[" + i + "]");
            }
        }
    }

    private static NDArray vector(double... v) {
        return NDArray.of(Shape.of(v.length), v);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void comparisonMasksOfFedValuesAreExactAtTies(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.input("x", X.length);
        Tensor y = tape.input("y", Y.length);
        Tensor[] masks = {x.gt(y), x.ge(y), x.lt(y), x.le(y), x.eq(y), x.gt(0)};
        double[][] expected = {
            {0, 0, 1, 0, 0, 0, 0, 0},
            {1, 1, 1, 0, 1, 1, 1, 0},
            {0, 0, 0, 1, 0, 0, 0, 1},
            {1, 1, 0, 1, 1, 1, 1, 1},
            {1, 1, 0, 0, 1, 1, 1, 0},
            {0, 1, 1, 0, 0, 1, 1, 0}};
        assertBoth(plan, Map.of(x, vector(X), y, vector(Y)), masks, expected, 0, "gt", "ge", "lt", "le", "eq", "gt 0");
    }

    /** Masks inside a sum over a leading axis: the CPU plan computes them sixteen lanes at a time. */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void comparisonMasksCountedAlongColumnsAreExactAtTies(PlanChoice plan) {
        int rows = 3;
        int cols = 16;
        double[] a = new double[rows * cols];
        double[] b = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 5 - 2; // integers in [-2, 2]: a third of the pairs tie
            b[i] = (i / 2) % 5 - 2;
        }
        Tape tape = new Tape();
        Tensor x = tape.input("x", rows, cols);
        Tensor y = tape.input("y", rows, cols);
        String[] ops = {"gt", "ge", "lt", "le", "eq"};
        Tensor[] counts = {x.gt(y).sum(0, false), x.ge(y).sum(0, false), x.lt(y).sum(0, false), x.le(y).sum(0, false),
            x.eq(y).sum(0, false)};
        double[][] expected = new double[ops.length][cols];
        int ties = 0;
        for (int i = 0; i < a.length; i++) {
            int c = i % cols;
            expected[0][c] += a[i] > b[i] ? 1 : 0;
            expected[1][c] += a[i] >= b[i] ? 1 : 0;
            expected[2][c] += a[i] < b[i] ? 1 : 0;
            expected[3][c] += a[i] <= b[i] ? 1 : 0;
            expected[4][c] += a[i] == b[i] ? 1 : 0;
            ties += a[i] == b[i] ? 1 : 0;
        }
        assertEquals(true, ties >= 8, "the data must hold ties: " + ties);
        assertBoth(plan, Map.of(x, NDArray.of(Shape.of(rows, cols), a), y, NDArray.of(Shape.of(rows, cols), b)), counts, expected, 0, ops);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void whereSelectsAndRoutesGradientsByTheMaskAtTies(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", X.length);
        Tensor y = tape.input("y", Y.length);
        Tensor a = tape.param("a", X.length);
        Tensor b = tape.param("b", X.length);
        Tensor v = tape.input("v", X.length);
        Tensor out = Functional.where(x.gt(y), a, b);
        Tensor[] g = tape.grad(out.mul(v).sum(), a, b, x);
        double[] av = {10, 11, 12, 13, 14, 15, 16, 17};
        double[] bv = {20, 21, 22, 23, 24, 25, 26, 27};
        double[] vv = {1, 2, 3, 4, 5, 6, 7, 8};
        Map<Tensor, NDArray> feeds = Map.of(x, vector(X), y, vector(Y), a, vector(av), b, vector(bv), v, vector(vv));
        double[][] expected = {
            {20, 21, 12, 23, 24, 25, 26, 27},
            {0, 0, 3, 0, 0, 0, 0, 0},
            {1, 2, 0, 4, 5, 6, 7, 8},
            {0, 0, 0, 0, 0, 0, 0, 0}};
        assertBoth(plan, feeds, new Tensor[] {out, g[0], g[1], g[2]}, expected, 0, "where", "grad a", "grad b", "grad x");
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void clampAtItsBoundsKeepsTheBoundAndPassesTheGradient(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 5);
        Tensor v = tape.input("v", 5);
        Tensor out = x.clamp(-0.5, 0.75);
        Tensor g = tape.grad(out.mul(v).sum(), x)[0];
        Map<Tensor, NDArray> feeds = Map.of(x, vector(-0.5, 0.75, -1, 1, 0.25), v, vector(1, 2, 3, 4, 5));
        assertBoth(plan, feeds, new Tensor[] {out, g}, new double[][] {{-0.5, 0.75, -0.5, 0.75, 0.25}, {1, 2, 0, 0, 5}}, 0,
                "clamp", "grad");
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void tiedMaximaShareTheGradientEvenly(PlanChoice plan) {
        double[] m = {3, 3, 1, 0, 2, 2, 2, 2, -1, 5, 5, 5, 7, 1, 2, 3};
        double third = 1.0 / 3;
        // along rows (serial), along columns (CPU plan: vector lanes over 16 columns), and along
        // one row of 300 (a work-group reduction) whose maximum 9 appears at 7, 150 and 299
        double[] wide = new double[4 * 16];
        double[] wideGrad = new double[wide.length];
        double[] colMax = new double[16];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = (i % 16) % 3 == 0 ? 4 : (i * 5) % 4;  // columns 0, 3, 6, …: every entry 4, a four-way tie
        }
        for (int c = 0; c < 16; c++) {
            double best = Double.NEGATIVE_INFINITY;
            int count = 0;
            for (int r = 0; r < 4; r++) {
                double e = wide[r * 16 + c];
                count = e > best ? 1 : e == best ? count + 1 : count;
                best = Math.max(best, e);
            }
            colMax[c] = best;
            for (int r = 0; r < 4; r++) {
                wideGrad[r * 16 + c] = wide[r * 16 + c] == best ? 1.0 / count : 0;
            }
        }
        double[] longRow = new double[300];
        double[] longGrad = new double[300];
        for (int i = 0; i < longRow.length; i++) {
            longRow[i] = (i * 13) % 9 - 1; // at most 7
        }
        for (int i : new int[] {7, 150, 299}) {
            longRow[i] = 9;
            longGrad[i] = third;
        }
        Tape tape = new Tape();
        Tensor x = tape.param("x", 4, 4);
        Tensor w = tape.param("w", 4, 16);
        Tensor l = tape.param("l", 1, 300);
        Tensor rowMax = x.max(1, false);
        Tensor columnMax = w.max(0, false);
        Tensor longMax = l.max(1, false);
        Tensor[] g = tape.grad(rowMax.sum().add(columnMax.sum()).add(longMax.sum()), x, w, l);
        Map<Tensor, NDArray> feeds = Map.of(x, NDArray.of(Shape.of(4, 4), m), w, NDArray.of(Shape.of(4, 16), wide),
                l, NDArray.of(Shape.of(1, 300), longRow));
        double[][] expected = {
            {3, 2, 5, 7},
            colMax,
            {9},
            {0.5, 0.5, 0, 0, 0.25, 0.25, 0.25, 0.25, 0, third, third, third, 1, 0, 0, 0},
            wideGrad,
            longGrad};
        // 1/3 is one fp32 rounding away on the device; everything else is exact
        assertBoth(plan, feeds, new Tensor[] {rowMax, columnMax, longMax, g[0], g[1], g[2]}, expected, Math.ulp(1f / 3),
                "row max", "column max", "long-row max", "grad x", "grad w", "grad l");
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void reluAndPreluAtZero(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor x = tape.param("x", 3);
        Tensor relu = Functional.relu(x);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor prelu = new PRelu("p", 1).forward(x, pass);
        Tensor a = pass.node("p.weight");
        Tensor[] gRelu = tape.grad(relu.sum(), x);
        Tensor[] gPrelu = tape.grad(prelu.sum(), x, a);
        Map<Tensor, NDArray> feeds = new HashMap<>(Map.of(x, vector(-1, 0, 2), a, vector(0.25)));
        // torch: relu'(0) = 0; PReLU'(0) = a (x > 0 picks the identity)
        double[][] expected = {{0, 0, 2}, {0, 0, 1}, {-0.25, 0, 2}, {0.25, 0.25, 1}, {-1}};
        assertBoth(plan, feeds, new Tensor[] {relu, gRelu[0], prelu, gPrelu[0], gPrelu[1]}, expected, 0,
                "relu", "relu'", "prelu", "prelu' x", "prelu' a");
    }
}
