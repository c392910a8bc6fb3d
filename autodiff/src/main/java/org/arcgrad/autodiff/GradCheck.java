package org.arcgrad.autodiff;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * rtol 1e-3 are the defaults); a NaN or infinity on either side always fails. A central difference
 * that disagrees is measured again with a five-point difference over the same interval, and an
 * element whose step crosses a branch of the function (a clamp's bound, where, max, abs, a
 * comparison, a max-pooling window) is not judged: the report counts such elements, and a check that judged none fails. A function with a
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

    /**
     * Computes the analytic side: the values of the gradient nodes at the base point. The default
     * is the fp64 interpreter; a backend may compute them instead (kernels-opencl's DeviceGradCheck
     * runs them on an OpenCL device in fp32), while the numeric side stays in fp64.
     */
    public interface Analytic {
        NDArray[] gradients(Tensor[] gradients, Map<Tensor, NDArray> feeds);

        /** What computes them, for the report, e.g. "fp64 interpreter". */
        String describe();
    }

    private static final Analytic INTERPRETER = new Analytic() {
        @Override
        public NDArray[] gradients(Tensor[] gradients, Map<Tensor, NDArray> feeds) {
            return Interpreter.run(feeds, gradients);
        }

        @Override
        public String describe() {
            return "fp64 interpreter";
        }
    };

    // Settings; each setter returns a changed copy, so a configured check can be shared.
    private final Fn fn;
    private GradientTable rules = GradientTable.STANDARD;
    private Map<String, NDArray> fixed = Map.of();
    private double eps = 1e-6;
    private double atol = 1e-5;
    private double rtol = 1e-3;
    private long seed = 0x5eed;
    private int maxElements = 4096;
    private int directions = 6;
    private boolean holdDetached;
    private Analytic analyticSide = INTERPRETER;

    private GradCheck(Fn fn) {
        this.fn = fn;
    }

    private GradCheck copy() {
        GradCheck c = new GradCheck(fn);
        c.rules = rules;
        c.fixed = fixed;
        c.eps = eps;
        c.atol = atol;
        c.rtol = rtol;
        c.seed = seed;
        c.maxElements = maxElements;
        c.directions = directions;
        c.holdDetached = holdDetached;
        c.analyticSide = analyticSide;
        return c;
    }

    public static GradCheck of(Fn fn) {
        return new GradCheck(fn);
    }

    /** Feeds a non-differentiated input (labels, say) that {@code fn} creates on the tape under {@code name}. */
    public GradCheck fixed(String name, NDArray value) {
        GradCheck c = copy();
        c.fixed = new LinkedHashMap<>(fixed);
        c.fixed.put(name, value);
        return c;
    }

    public GradCheck tolerances(double atol, double rtol) {
        GradCheck c = copy();
        c.atol = atol;
        c.rtol = rtol;
        return c;
    }

    /** The finite-difference step. */
    public GradCheck step(double eps) {
        GradCheck c = copy();
        c.eps = eps;
        return c;
    }

    /** Seed of the random cotangent and directions. */
    public GradCheck seed(long seed) {
        GradCheck c = copy();
        c.seed = seed;
        return c;
    }

    /** Above this many input elements in all, check {@code directions} random directions instead of every element. */
    public GradCheck elementwiseUpTo(int maxElements, int directions) {
        GradCheck c = copy();
        c.maxElements = maxElements;
        c.directions = directions;
        return c;
    }

    /**
     * Holds every detached value ({@link Tensor#detach}) at its value at the base point while the
     * inputs are perturbed, as the analytic gradient does: losses with running statistics or
     * detached weights (CurricularFace's t, AdaFace's batch norms, Circle loss's α) then pass
     * exactly when their gradients are right. Without it, central differences also move what the
     * loss detaches, and a correct gradient may be reported as a mismatch.
     */
    public GradCheck holdDetached() {
        GradCheck c = copy();
        c.holdDetached = true;
        return c;
    }

    /** Differentiates with these rules instead of the standard ones. */
    public GradCheck rules(GradientTable rules) {
        GradCheck c = copy();
        c.rules = rules;
        return c;
    }

    /** Computes the analytic gradients with {@code analytic} instead of the fp64 interpreter; choose tolerances to match. */
    public GradCheck analyticBy(Analytic analytic) {
        GradCheck c = copy();
        c.analyticSide = analytic;
        return c;
    }

    /**
     * The worst mismatch found, and whether every judged value was within tolerance. {@code atBranches}
     * of the {@code checked} elements (or directions) were not judged: their difference step crosses a
     * branch of the function ({@link BranchPattern}), where no difference measures the derivative. A
     * check that could judge nothing has not passed.
     */
    public record Report(boolean passed, int checked, int atBranches, double worstRatio, int input, int element,
                         double analytic, double numeric, String method, int detached, boolean heldDetached) {
        /** Human-readable verdict naming the worst input element, and the likely cause when detached values moved. */
        @Override
        public String toString() {
            String counted = checked + " checked" + (atBranches > 0 ? ", " + atBranches + " not judged: their step crosses a "
                    + "branch (a clamp's bound, where, max, abs, a comparison, a max-pooling window)" : "")
                    + (heldDetached ? ", " + detached + " detached value(s) held" : "");
            if (atBranches == checked) {
                return "gradcheck FAILED (" + method + ", " + counted + "): " + (checked == 0 ? "the inputs have no elements"
                        : "nothing left to judge; move the inputs off the kinks");
            }
            String where = element < 0 ? "a random direction through all inputs" : "input " + input + " element " + element;
            String verdict = (passed ? "gradcheck passed" : "gradcheck FAILED") + " (" + method + ", " + counted + "): worst at "
                    + where + ": analytic " + analytic + " vs numeric " + numeric
                    + " (error / tolerance = " + String.format("%.3g", worstRatio) + ")";
            if (!passed && detached > 0 && !heldDetached) {
                verdict += ". The function has " + detached + " detach() node(s): the analytic gradient treats them as "
                        + "constants, central differences move them. If that is the intent (running statistics, "
                        + "detached weights), check with holdDetached()";
            }
            return verdict;
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
        NDArray[] analytic = analyticSide.gradients(tape.grad(loss, args), feeds);
        List<Tensor> detachedNodes = forward.nodes().stream().filter(n -> n.op() == Op.DETACH).toList();
        Map<Tensor, NDArray> held = new HashMap<>();
        if (holdDetached && !detachedNodes.isEmpty()) {
            NDArray[] base = Interpreter.run(feeds, detachedNodes.toArray(new Tensor[0]));
            for (int k = 0; k < base.length; k++) {
                held.put(detachedNodes.get(k), base[k]);
            }
        }
        Evaluation evaluate = () -> Interpreter.runHolding(forward, feeds, held)[0].item();
        Numeric numeric = new Numeric(evaluate, forward, feeds, held);
        long total = 0;
        for (NDArray a : inputs) {
            total += a.size();
        }
        Worst worst = new Worst(detachedNodes.size());
        if (total <= maxElements) {
            for (int i = 0; i < args.length; i++) {
                double[] x = feeds.get(args[i]).data();
                for (int j = 0; j < x.length; j++) {
                    double saved = x[j];
                    int e = j;
                    numeric.judge(h -> x[e] = saved + h, analytic[i].data()[j], worst, i, j);
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
            numeric.judge(h -> shift(feeds, args, inputs, dir, h), analyticDot, worst, -1, -1);
        }
        return worst.report("random-direction vector-Jacobian products");
    }

    /** The loss at the current feeds. */
    @FunctionalInterface
    private interface Evaluation {
        double at();
    }

    /** Moves the differentiable inputs to base + h·direction; h = 0 puts them back. */
    @FunctionalInterface
    private interface Shift {
        void to(double h);
    }

    private static void shift(Map<Tensor, NDArray> feeds, Tensor[] args, NDArray[] base, NDArray[] dir, double h) {
        for (int i = 0; i < args.length; i++) {
            double[] x = feeds.get(args[i]).data();
            double[] x0 = base[i].data();
            double[] v = dir[i].data();
            for (int j = 0; j < x.length; j++) {
                x[j] = x0[j] + h * v[j];
            }
        }
    }

    /**
     * The numeric side of one element or direction. A central difference at the step decides
     * unless it disagrees with the analytic value; then a five-point difference over the same
     * interval (error O(h⁴) instead of O(h²): a value near a clamp's bound, like a cosine at
     * 1 − 1e-7, curves too sharply for the central one) decides instead, unless the interval
     * crosses a branch of the function, where no difference measures the derivative and the
     * element is counted as not judged (unless its analytic value is NaN or infinite).
     */
    private final class Numeric {
        private final Evaluation evaluate;
        private final Graph forward;
        private final Map<Tensor, NDArray> feeds;
        private final Map<Tensor, NDArray> held;
        private BranchPattern branches;
        private boolean branchesBuilt;

        Numeric(Evaluation evaluate, Graph forward, Map<Tensor, NDArray> feeds, Map<Tensor, NDArray> held) {
            this.evaluate = evaluate;
            this.forward = forward;
            this.feeds = feeds;
            this.held = held;
        }

        void judge(Shift s, double analytic, Worst worst, int input, int element) {
            double wide = at(s, eps) - at(s, -eps);
            double central = wide / (2 * eps);
            if (worst.within(central, analytic)) {
                worst.offer(central, analytic, input, element);
                return;
            }
            double narrow = at(s, eps / 2) - at(s, -eps / 2);
            double fivePoint = (8 * narrow - wide) / (6 * eps);
            // a NaN or infinite gradient is never excused: a kink is where 0 · ∞ comes from
            if (!worst.within(fivePoint, analytic) && Double.isFinite(analytic) && crossesBranch(s)) {
                worst.atBranch();
                return;
            }
            worst.offer(fivePoint, analytic, input, element);
        }

        private double at(Shift s, double h) {
            s.to(h);
            double v = evaluate.at();
            s.to(0);
            return v;
        }

        private boolean crossesBranch(Shift s) {
            if (!branchesBuilt) {
                branches = BranchPattern.of(forward, held);
                branchesBuilt = true;
            }
            if (branches == null) {
                return false;
            }
            // the ends of the interval: the five-point difference's inner points lie between them
            List<double[]> base = branches.at(feeds);
            for (double h : new double[] {eps, -eps}) {
                s.to(h);
                List<double[]> moved = branches.at(feeds);
                s.to(0);
                if (!BranchPattern.same(base, moved)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Tracks the worst error-to-tolerance ratio seen, and the elements not judged. */
    private final class Worst {
        private final int detached;
        private int checked;
        private int atBranches;
        private double ratio = -1;
        private int input;
        private int element;
        private double analytic;
        private double numeric;

        Worst(int detached) {
            this.detached = detached;
        }

        private double ratio(double num, double ana) {
            return Double.isFinite(num) && Double.isFinite(ana)
                    ? Math.abs(ana - num) / (atol + rtol * Math.abs(num))
                    : Double.POSITIVE_INFINITY;
        }

        boolean within(double num, double ana) {
            return ratio(num, ana) <= 1;
        }

        void offer(double num, double ana, int in, int el) {
            checked++;
            double r = ratio(num, ana);
            if (r > ratio) {
                ratio = r;
                input = in;
                element = el;
                analytic = ana;
                numeric = num;
            }
        }

        void atBranch() {
            checked++;
            atBranches++;
        }

        Report report(String method) {
            String how = method + (analyticSide == INTERPRETER ? "" : ", analytic side: " + analyticSide.describe()
                    + ", atol " + atol + ", rtol " + rtol);
            return new Report(atBranches < checked && ratio <= 1, checked, atBranches, ratio, input, element, analytic, numeric,
                    how, detached, holdDetached);
        }
    }
}
