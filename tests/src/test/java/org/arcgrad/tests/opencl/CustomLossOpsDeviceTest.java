package org.arcgrad.tests.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
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
 * The ops custom losses need, on the device under both kernel plans, where fp32 differs from the
 * interpreter's fp64: softplus and logSigmoid at the ends of the float range (finite, and the
 * textbook log(exp(x) + 1) shown to overflow), random draws bit for bit, integer label masks,
 * index masks, gatherRows with repeated indices forward and backward, maximum/minimum at ties
 * and NaN, abs at ±0.
 */
class CustomLossOpsDeviceTest {
    private static NDArray[] device(PlanChoice plan, Map<Tensor, NDArray> feeds, Tensor... outputs) {
        try (Executable e = Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), outputs)) {
            return e.run(feeds);
        }
    }

    private static NDArray vector(double... v) {
        return NDArray.of(Shape.of(v.length), v);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void softplusIsFiniteOverTheWholeFloatRange(PlanChoice plan) {
        double[] xs = {1e4, -1e4, 100, -100, 88.8, -88.8, 30, -30, 1, -1, 1e-6, 0, -0.0, 3e38, -3e38};
        Tape tape = new Tape();
        Tensor x = tape.input("x", xs.length);
        Tensor[] outs = {Functional.softplus(x), Functional.logSigmoid(x), Functional.softplus(x, 256), x.exp().add(1).log(),
            tape.grad(Functional.softplus(x).sum(), x)[0]};
        NDArray[] dev = device(plan, Map.of(x, vector(xs)), outs);
        NDArray[] ref = Interpreter.run(Map.of(x, vector(xs)), outs);
        for (int i = 0; i < xs.length; i++) {
            double sp = xs[i] > 0 ? xs[i] + Math.log1p(Math.exp(-xs[i])) : Math.log1p(Math.exp(xs[i]));
            assertEquals(sp, dev[0].data()[i], 1e-6 * Math.max(1, Math.abs(sp)), "softplus(" + xs[i] + ")");
            assertEquals(-(-xs[i] > 0 ? -xs[i] + Math.log1p(Math.exp(xs[i])) : Math.log1p(Math.exp(-xs[i]))), dev[1].data()[i],
                    1e-6 * Math.max(1, Math.abs(sp - xs[i])), "logSigmoid(" + xs[i] + ")");
            assertTrue(Double.isFinite(dev[2].data()[i]), "softplus(" + xs[i] + ", beta 256) is finite: " + dev[2].data()[i]);
            assertEquals(ref[2].data()[i], dev[2].data()[i], 1e-6 * Math.max(1, Math.abs(ref[2].data()[i])));
            double sigmoid = 1 / (1 + Math.exp(-xs[i]));
            assertEquals(sigmoid, dev[4].data()[i], 1e-6, "softplus'(" + xs[i] + ") = sigmoid");
        }
        assertEquals(1e4, dev[0].data()[0]);
        assertEquals(0.0, dev[0].data()[1]);
        assertEquals(Math.log(2), dev[0].data()[11], 1e-7);
        assertEquals(0.5, dev[4].data()[11], "the gradient at 0 is 1/2");
        assertEquals(Double.POSITIVE_INFINITY, dev[3].data()[4], "the textbook log(exp(x) + 1) overflows in fp32 at x = 88.8");
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void randomDrawsMatchTheInterpreterBitForBit(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor seed = tape.labels("seed");
        Tensor x = tape.input("x", 37, 19);
        // used inside an expression, inside a reduction, and alone
        Tensor u = tape.uniform(seed, 37, 19);
        // one draw read twice in one kernel, and a chain of locals after it
        Tensor chained = u.add(u.square()).exp().add(1).log().sqrt().scale(3);
        Tensor[] outs = {u, x.add(tape.normal(seed, 37, 19)), tape.uniform(seed, 37, 19).sum(0, false),
            tape.normal(seed, 3000), chained};
        for (int s : new int[] {0, -1, 123456789}) {
            Map<Tensor, NDArray> feeds = Map.of(seed, NDArray.scalar(s), x, NDArray.zeros(Shape.of(37, 19)));
            NDArray[] ref = Interpreter.run(feeds, outs);
            NDArray[] dev = device(plan, feeds, outs);
            for (int i = 0; i < ref[0].size(); i++) {
                assertEquals(ref[0].data()[i], dev[0].data()[i], 0.0, "uniform, seed " + s + ", element " + i);
                assertEquals(ref[1].data()[i], dev[1].data()[i], 1e-5 * Math.max(1, Math.abs(ref[1].data()[i])), "normal, element " + i);
            }
            for (int i = 0; i < ref[2].size(); i++) {
                assertEquals(ref[2].data()[i], dev[2].data()[i], 1e-5, "uniform summed, column " + i);
            }
            for (int i = 0; i < ref[3].size(); i++) {
                assertEquals(ref[3].data()[i], dev[3].data()[i], 1e-5 * Math.max(1, Math.abs(ref[3].data()[i])), "normal " + i);
            }
            for (int i = 0; i < ref[4].size(); i++) {
                assertEquals(ref[4].data()[i], dev[4].data()[i], 1e-5 * Math.max(1, Math.abs(ref[4].data()[i])), "chained " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void labelAndIndexMasksAreExact(PlanChoice plan) {
        int n = 32;
        Tape tape = new Tape();
        Tensor y = tape.labels("y", n);
        Tensor same = y.reshape(n, 1).eq(y.reshape(1, n));
        // sums down the columns run in lanes on the CPU plan: labels and arange read as vectors there
        Tensor[] outs = {same, y.reshape(n, 1).ne(y.reshape(1, n)), same.mul(tape.triu(n, 1)), tape.eye(n), tape.tril(n, -2),
            tape.arange(n), y.toFloat().mul(2), same.sum(1, false), same.sum(0, false), tape.triu(n, 1).sum(0, false),
            tape.arange(n).reshape(1, n).mul(same).sum(0, false)};
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % 5;
        }
        Map<Tensor, NDArray> feeds = Map.of(y, vector(labels));
        NDArray[] dev = device(plan, feeds, outs);
        NDArray[] ref = Interpreter.run(feeds, outs);
        for (int k = 0; k < outs.length; k++) {
            for (int i = 0; i < ref[k].size(); i++) {
                assertEquals(ref[k].data()[i], dev[k].data()[i], 0.0, "output " + k + " element " + i);
            }
        }
        assertEquals(1.0, ref[2].data()[5 + n * 0]); // labels 0 at positions 0 and 5: a pair above the diagonal
        assertEquals(0.0, ref[2].data()[0], "the diagonal is not above it");
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void gatherRowsWithRepeatsForwardAndBackward(PlanChoice plan) {
        int c = 7;
        int d = 48;
        int[] idx = {6, 0, 3, 3, 0, 0, 5, 6, 1, 3, 3};
        Tape tape = new Tape();
        Tensor w = tape.param("w", c, d);
        Tensor i = tape.labels("idx", idx.length);
        Tensor up = tape.input("up", idx.length, d);
        Tensor rows = Functional.gatherRows(w, i);
        Tensor gw = tape.grad(rows.mul(up).sum(), w)[0];
        Map<Tensor, NDArray> feeds = new HashMap<>();
        feeds.put(w, NDArray.uniform(Shape.of(c, d), -1, 1, new java.util.Random(2)));
        double[] id = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            id[k] = idx[k];
        }
        feeds.put(i, vector(id));
        feeds.put(up, NDArray.uniform(Shape.of(idx.length, d), -1, 1, new java.util.Random(3)));
        NDArray[] dev = device(plan, feeds, rows, gw);
        // summed down the rows: the CPU plan reads the gathered rows sixteen columns at a time
        Tensor columnSums = rows.sum(0, false);
        DeviceAgreement.assertDeviceMatchesInterpreter(java.util.List.of(columnSums, tape.grad(columnSums.square().sum(), w)[0]), feeds,
                plan, new java.util.Random(5), k -> k == 0 ? "column sums of gathered rows" : "their gradient", tape.dump());
        for (int r = 0; r < idx.length; r++) {
            for (int j = 0; j < d; j++) {
                assertEquals((float) feeds.get(w).get(idx[r], j), dev[0].get(r, j), 0.0, "row " + r + " col " + j);
            }
        }
        // rows of a computed matrix (its own buffer, written by a kernel first), with a gradient through it
        Tensor computed = Functional.gatherRows(Functional.normalize(w).exp(), i);
        Tensor gComputed = tape.grad(computed.mul(up).sum(), w)[0];
        DeviceAgreement.assertDeviceMatchesInterpreter(java.util.List.of(computed, gComputed), feeds, plan, new java.util.Random(4),
                k -> k == 0 ? "rows of exp(normalize(w))" : "their gradient", tape.dump());
        for (int row = 0; row < c; row++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int r = 0; r < idx.length; r++) {
                    sum += idx[r] == row ? feeds.get(up).get(r, j) : 0;
                }
                assertEquals(sum, dev[1].get(row, j), 1e-6, "grad w row " + row + " col " + j);
            }
        }
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void maximumMinimumAndAbsAtTiesNaNAndSignedZero(PlanChoice plan) {
        double[] a = {1, 2, Double.NaN, 3, -0.0, 0, -1, 5};
        double[] b = {1, 1, 4, Double.NaN, 0, -0.0, -1, 7};
        Tape tape = new Tape();
        Tensor x = tape.param("x", a.length);
        Tensor y = tape.param("y", b.length);
        Tensor[] grads = tape.grad(x.maximum(y).add(x.minimum(y).scale(3)).sum(), x, y);
        Tensor[] outs = {x.maximum(y), x.minimum(y), x.abs(), grads[0], grads[1], tape.grad(x.abs().sum(), x)[0]};
        NDArray[] dev = device(plan, Map.of(x, vector(a), y, vector(b)), outs);
        double[][] expected = {
            {1, 2, Double.NaN, Double.NaN, 0, -0.0, -1, 7},
            {1, 1, Double.NaN, Double.NaN, 0, -0.0, -1, 5},
            {1, 2, Double.NaN, 3, 0, 0, 1, 5},
            // gradients: ties (±0 included) split; beside a NaN no mask holds, so no gradient flows
            {2, 1, 0, 0, 2, 2, 2, 3},
            {2, 3, 0, 0, 2, 2, 2, 1},
            {1, 1, 0, 1, 0, 0, -1, 1}};
        for (int k = 0; k < outs.length; k++) {
            for (int i = 0; i < a.length; i++) {
                assertEquals(expected[k][i], dev[k].data()[i], 0.0, "output " + k + " element " + i);
            }
        }
    }
}
