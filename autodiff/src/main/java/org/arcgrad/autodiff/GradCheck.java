package org.arcgrad.autodiff;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Checks a function's analytic gradients against central finite differences in fp64, in the
 * spirit of torch.autograd.gradcheck, from any test framework:
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.of((tape, a) -> a[0].exp().mul(a[1]).sum()).check(x, y);
 * assertTrue(r.passed(), r.toString());
 * }</pre>
 *
 * <p>A mismatch is |analytic − numeric| > atol + rtol·|numeric| (torch's bar: eps 1e-6, atol 1e-5,
 * rtol 1e-3 are the defaults); a NaN or infinity on either side always fails. A function with a
 * non-scalar output is checked through ⟨output, v⟩ for a random cotangent v. Up to
 * {@code maxElements} input elements are checked one by one; beyond that the check takes the
 * directional derivative along random directions (a vector–Jacobian check), which scales to large
 * tensors.
 */
public final class GradCheck {
    /** Builds the function on a fresh tape; {@code args} are the differentiable inputs, in order. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tape tape, Tensor[] args);
    }

    private final Fn fn;
    private final GradientTable rules;
    private final Map<String, NDArray> fixed;
    private final double eps;
    private final double atol;
    private final double rtol;
    private final long seed;
    private final int maxElements;
    private final int directions;

    private GradCheck(Fn fn, GradientTable rules, Map<String, NDArray> fixed, double eps, double atol, double rtol,
                      long seed, int maxElements, int directions) {
        this.fn = fn;
        this.rules = rules;
        this.fixed = fixed;
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
        this.maxElements = maxElements;
        this.directions = directions;
    }

    public static GradCheck of(Fn fn) {
        return new GradCheck(fn, GradientTable.STANDARD, Map.of(), 1e-6, 1e-5, 1e-3, 0x5eed, 4096, 6);
    }

    /** Feeds a non-differentiated input (labels, say) that {@code fn} creates on the tape under {@code name}. */
    public GradCheck fixed(String name, NDArray value) {
        Map<String, NDArray> f = new LinkedHashMap<>(fixed);
        f.put(name, value);
        return new GradCheck(fn, rules, f, eps, atol, rtol, seed, maxElements, directions);
    }

    public GradCheck tolerances(double atol, double rtol) {
        return new GradCheck(fn, rules, fixed, eps, atol, rtol, seed, maxElements, directions);
    }

    /** The finite-difference step. */
    public GradCheck step(double eps) {
        return new GradCheck(fn, rules, fixed, eps, atol, rtol, seed, maxElements, directions);
    }

    /** Seed of the random cotangent and directions. */
    public GradCheck seed(long seed) {
        return new GradCheck(fn, rules, fixed, eps, atol, rtol, seed, maxElements, directions);
    }

    /** Above this many input elements in all, check {@code directions} random directions instead of every element. */
    public GradCheck elementwiseUpTo(int maxElements, int directions) {
        return new GradCheck(fn, rules, fixed, eps, atol, rtol, seed, maxElements, directions);
    }

    /** Differentiates with these rules instead of the standard ones. */
    public GradCheck rules(GradientTable rules) {
        return new GradCheck(fn, rules, fixed, eps, atol, rtol, seed, maxElements, directions);
    }

    /** The worst mismatch found, and whether every checked value was within tolerance. */
    public record Report(boolean passed, int checked, double worstRatio, int input, int element,
                         double analytic, double numeric, String method) {
        /** Human-readable verdict naming the worst input element. */
        @Override
        public String toString() {
            String where = element < 0 ? "a random direction through all inputs" : "input " + input + " element " + element;
            return (passed ? "gradcheck passed" : "gradcheck FAILED") + " (" + method + ", " + checked + " checked): worst at "
                    + where + ": analytic " + analytic + " vs numeric " + numeric
                    + " (error / tolerance = " + String.format("%.3g", worstRatio) + ")";
        }
    }

    public Report check(NDArray... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("gradcheck: give at least one input to differentiate");
        }
        Tape tape = new Tape(rules);
        Tensor[] args = new Tensor[inputs.length];
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            args[i] = tape.param("arg" + i, inputs[i].shape().dims());
            feeds.put(args[i], inputs[i].copy());
        }
        Tensor out = fn.apply(tape, args);
        Random random = new Random(seed);
        Tensor loss = out;
        if (out.shape().numel() != 1) {
            Tensor cotangent = tape.input("gradcheck.cotangent", out.shape().dims());
            feeds.put(cotangent, NDArray.gaussian(out.shape(), random));
            loss = out.mul(cotangent).sum();
        }
        Graph forward = Graph.of(loss);
        for (Tensor s : forward.sources()) {
            if (!feeds.containsKey(s)) {
                NDArray v = fixed.get(s.name());
                if (v == null) {
                    throw new IllegalArgumentException("gradcheck: no fixed value for " + s.describe() + "; pass it with fixed(\""
                            + s.name() + "\", value)");
                }
                feeds.put(s, v);
            }
        }
        NDArray[] analytic = Interpreter.run(feeds, tape.grad(loss, args));
        long total = 0;
        for (NDArray a : inputs) {
            total += a.size();
        }
        Worst worst = new Worst();
        if (total <= maxElements) {
            for (int i = 0; i < args.length; i++) {
                double[] x = feeds.get(args[i]).data();
                for (int j = 0; j < x.length; j++) {
                    double saved = x[j];
                    x[j] = saved + eps;
                    double up = evaluate(forward, feeds);
                    x[j] = saved - eps;
                    double down = evaluate(forward, feeds);
                    x[j] = saved;
                    worst.offer((up - down) / (2 * eps), analytic[i].data()[j], i, j);
                }
            }
            return worst.report("elementwise central differences");
        }
        for (int d = 0; d < directions; d++) {
            NDArray[] dir = new NDArray[args.length];
            double analyticDot = 0;
            for (int i = 0; i < args.length; i++) {
                dir[i] = NDArray.gaussian(inputs[i].shape(), random);
                double[] g = analytic[i].data();
                double[] v = dir[i].data();
                for (int j = 0; j < v.length; j++) {
                    analyticDot += g[j] * v[j];
                }
            }
            double up = evaluateShifted(forward, feeds, args, inputs, dir, eps);
            double down = evaluateShifted(forward, feeds, args, inputs, dir, -eps);
            worst.offer((up - down) / (2 * eps), analyticDot, -1, -1);
        }
        return worst.report("random-direction vector-Jacobian products");
    }

    private double evaluateShifted(Graph forward, Map<Tensor, NDArray> feeds, Tensor[] args, NDArray[] base,
                                   NDArray[] dir, double h) {
        for (int i = 0; i < args.length; i++) {
            double[] x = feeds.get(args[i]).data();
            double[] x0 = base[i].data();
            double[] v = dir[i].data();
            for (int j = 0; j < x.length; j++) {
                x[j] = x0[j] + h * v[j];
            }
        }
        double r = evaluate(forward, feeds);
        for (int i = 0; i < args.length; i++) {
            System.arraycopy(base[i].data(), 0, feeds.get(args[i]).data(), 0, base[i].size());
        }
        return r;
    }

    private static double evaluate(Graph forward, Map<Tensor, NDArray> feeds) {
        return Interpreter.run(forward, feeds)[0].item();
    }

    /** Tracks the worst error-to-tolerance ratio seen. */
    private final class Worst {
        private int checked;
        private double ratio = -1;
        private int input;
        private int element;
        private double analytic;
        private double numeric;

        void offer(double num, double ana, int in, int el) {
            checked++;
            double r = Double.isFinite(num) && Double.isFinite(ana)
                    ? Math.abs(ana - num) / (atol + rtol * Math.abs(num))
                    : Double.POSITIVE_INFINITY;
            if (r > ratio) {
                ratio = r;
                input = in;
                element = el;
                analytic = ana;
                numeric = num;
            }
        }

        Report report(String method) {
            return new Report(ratio <= 1, checked, ratio, input, element, analytic, numeric, method);
        }
    }
}
