package org.arcgrad.autodiff;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a graph in fp64 on the JVM: the reference for every other backend and the fallback
 * where no OpenCL device exists. Values are freed as soon as no later node reads them.
 */
public final class Interpreter {
    private Interpreter() {
    }

    /** Evaluates {@code outputs} given a value for every INPUT and PARAM they need. */
    public static NDArray[] run(Map<Tensor, NDArray> feeds, Tensor... outputs) {
        return run(Graph.of(outputs), feeds);
    }

    public static NDArray[] run(Graph graph, Map<Tensor, NDArray> feeds) {
        return run(graph, feeds, Map.of(), null, 0, false, false);
    }

    /**
     * Evaluates like {@link #run(Graph, Map)}, but rounds every result to the nearest fp32 value:
     * what an fp32 backend computes, up to its builtins' few ulps. Noisy runs ({@link
     * #runWithRoundingNoise}) move results off an exact value that fp32 keeps (exp(0) = 1, log(1) =
     * 0, so a log-softmax over one element is exactly 0 and the clamped norm after it takes its
     * 1e12 branch); this run shows what fp32 cancellation does on that path.
     */
    public static NDArray[] runInFloat(Graph graph, Map<Tensor, NDArray> feeds) {
        return run(graph, feeds, Map.of(), null, 0, false, true);
    }

    /**
     * Evaluates like {@link #run(Graph, Map)}, but takes each node of {@code held} to have the
     * given value instead of computing it (what the inputs below it say no longer matters): the
     * gradient check holds detached values fixed this way.
     */
    public static NDArray[] runHolding(Graph graph, Map<Tensor, NDArray> feeds, Map<Tensor, NDArray> held) {
        return run(graph, feeds, held, null, 0, false, false);
    }

    /**
     * Evaluates like {@link #run(Graph, Map)}, but multiplies every arithmetic result by
     * (1 + u·r) with r uniform in [−1, 1]: Monte Carlo arithmetic. The spread of a few such runs
     * estimates how far rounding with unit roundoff {@code u} (2⁻²⁴ for fp32) can move each result,
     * cancellation inside the graph included, which is the slack a lower-precision backend deserves.
     * Ops exact in fp32 ({@link Op#isExact}: comparisons, max, views, selections) and sources are not perturbed.
     */
    public static NDArray[] runWithRoundingNoise(Graph graph, Map<Tensor, NDArray> feeds, double unitRoundoff, java.util.Random random) {
        return run(graph, feeds, Map.of(), random, unitRoundoff, false, false);
    }

    /**
     * As {@link #runWithRoundingNoise}, but with {@code mirrored} every factor is (1 − u·r) for the
     * same r: given a Random of the same seed, the run that moves each result the other way. Where a
     * result sits on a one-sided edge (a cosine of exactly 1 before sqrt(1 − cos²) clamped at 0), a
     * run and its mirror between them probe the steep side, which a few independent runs can all
     * miss.
     */
    public static NDArray[] runWithRoundingNoise(Graph graph, Map<Tensor, NDArray> feeds, double unitRoundoff, java.util.Random random,
                                                 boolean mirrored) {
        return run(graph, feeds, Map.of(), random, unitRoundoff, mirrored, false);
    }

    private static NDArray[] run(Graph graph, Map<Tensor, NDArray> feeds, Map<Tensor, NDArray> held, java.util.Random noise,
                                 double unitRoundoff, boolean mirrored, boolean inFloat) {
        List<Tensor> nodes = graph.nodes();
        Map<Tensor, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Tensor n = nodes.get(i);
            for (int k = 0; k < n.arity(); k++) {
                lastUse.put(n.input(k), i);
            }
        }
        for (Tensor o : graph.outputs()) {
            lastUse.put(o, Integer.MAX_VALUE);
        }
        Map<Tensor, NDArray> values = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Tensor n = nodes.get(i);
            NDArray v = held.containsKey(n) ? held.get(n) : evaluate(n, values, feeds);
            double u = unitRoundoff * roundings(n.op()) * (mirrored ? -1 : 1);
            if (noise != null && u != 0) {
                v = v.copy();
                double[] d = v.data();
                for (int j = 0; j < d.length; j++) {
                    d[j] *= 1 + u * (2 * noise.nextDouble() - 1);
                }
            }
            if (inFloat) {
                v = v.copy();
                double[] d = v.data();
                for (int j = 0; j < d.length; j++) {
                    d[j] = (float) d[j];
                }
            }
            values.put(n, v);
            for (int k = 0; k < n.arity(); k++) {
                Tensor in = n.input(k);
                if (lastUse.get(in) == i) {
                    values.remove(in);
                }
            }
        }
        NDArray[] out = new NDArray[graph.outputs().size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(graph.outputs().get(k));
        }
        return out;
    }

    /**
     * How many unit roundoffs a finite-precision backend may move an op's result: 0 for exact
     * ops, 1 for one rounding, 16 for a normal draw (Box–Muller through OpenCL's log, sqrt and cos,
     * each allowed a few ulp).
     */
    private static double roundings(Op op) {
        if (op.kind() == Op.Kind.SOURCE || op.isExact()) {
            return 0;
        }
        return op == Op.RANDOM_NORMAL ? 16 : 1;
    }

    private static NDArray evaluate(Tensor n, Map<Tensor, NDArray> values, Map<Tensor, NDArray> feeds) {
        if (n.op() == Op.INPUT || n.op() == Op.PARAM) {
            NDArray v = feeds.get(n);
            if (v == null) {
                throw new IllegalArgumentException("no value fed for " + n.describe());
            }
            if (!v.shape().equals(n.shape())) {
                throw new IllegalArgumentException("fed value for " + n.describe() + " has shape " + v.shape()
                        + ", expected " + n.shape());
            }
            return v;
        }
        NDArray[] in = new NDArray[n.arity()];
        for (int k = 0; k < in.length; k++) {
            in[k] = values.get(n.input(k));
        }
        return n.op().evaluation().apply(n, in);
    }
}
