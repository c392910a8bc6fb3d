package org.arcgrad.opencl;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;

/**
 * Whether fp32 values computed on a device agree with the fp64 interpreter on the same inputs:
 * the test suite's differential checks and {@code ARCGRAD_VERIFY} use this one rule.
 *
 * <p>Both sides get the same inputs (the device's fp32 values), so the difference is the device's
 * fp32 arithmetic. An element agrees when |device − ref| ≤ 1e-5·|ref| + 1e-6·scale + 16·|Δ|, where
 * scale is the largest finite |ref| of that output and Δ is the largest deviation of eight fp64
 * runs with Monte Carlo rounding noise of four fp32 ulps on every arithmetic result ({@link
 * Interpreter#runWithRoundingNoise}): an ill-conditioned element (a difference of nearly equal
 * intermediates, say) gets the slack its conditioning demands, a well-conditioned one is held near
 * 1e-5. The runs come in mirrored pairs (the same noise, once negated), so that a result on a
 * one-sided edge is probed from its steep side: a cosine of exactly 1 ahead of sqrt(1 − cos²)
 * clamped at 0 has no slack when noise pushes it up and needs much when a device's rounding puts
 * it a few ulps below 1 (an NVIDIA GPU did so, where PoCL rounds it to exactly 1). Masks and
 * selections of fed values get no slack: comparisons are exact in any precision.
 * A noisy run that is not finite where the reference is (noise took an operand out of an op's
 * domain, as acos(1 + 4 ulp)) adds no slack.
 * One more run rounds every result to fp32 ({@link Interpreter#runInFloat}): noise moves a result
 * off an exact value that fp32 keeps (a log-softmax over one element is exactly 0 in both), and
 * the path fp32 then takes can cancel what fp64 keeps (a clamped zero norm's gradient of 1e12
 * added to a cotangent of 1, then subtracted: fp32 returns 0 where fp64 returns the cotangent).
 * NaN or infinity on the device where the reference is finite never agrees; where the reference
 * itself is not finite (it overflowed in fp64), there is nothing to hold fp32 to.
 */
public final class InterpreterAgreement {
    /**
     * The noise per arithmetic result: four fp32 ulps, since OpenCL allows its builtins (exp, log,
     * sqrt, rsqrt, division) errors of 2 to 4 ulp, not only the half ulp of a rounding.
     */
    static final double NOISE = 4 * 0x1p-24;
    /**
     * Pairs of runs: each noisy run and its mirror ({@link Interpreter#runWithRoundingNoise(Graph, Map, double, Random, boolean)}).
     * A pair's two deviations are one draw's, so the pairs are the independent samples. Where fp32
     * keeps an ulp of a cancellation's terms, one pair in ninety deviates by less than 1/16 of that
     * ulp (measured on InterpreterAgreementTest's case): with two pairs, both did so about once in
     * eight thousand such elements, and the suite met it (a wide-rows property, seed
     * 6926568522900917713); with four, once in seventy million.
     */
    private static final int NOISY_RUNS = 4;

    private InterpreterAgreement() {
    }

    /** The first element, in output order, where a device's value does not agree with the interpreter's. */
    public record Disagreement(int output, Tensor node, int index, double device, double reference, double tolerance) {
        @Override
        public String toString() {
            return node.describe() + " at element " + index + " " + position(node.shape().dims(), index) + ": device " + device
                    + ", fp64 interpreter " + reference + " (tolerance " + String.format("%.3g", tolerance) + ")";
        }
    }

    /** The multi-index of a flat row-major index, as "[1, 2]". */
    private static String position(int[] dims, int flat) {
        int[] at = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            at[a] = flat % dims[a];
            flat /= dims[a];
        }
        return java.util.Arrays.toString(at);
    }

    /**
     * Compares {@code device[k]}, the device's values of {@code graph.outputs().get(k)}, with the
     * interpreter's on {@code feeds}; {@code random} drives the rounding noise.
     */
    public static Optional<Disagreement> check(Graph graph, Map<Tensor, NDArray> feeds, NDArray[] device, Random random) {
        NDArray[] ref = Interpreter.run(graph, feeds);
        int outputs = graph.outputs().size();
        double[][] spread = new double[outputs][];
        for (int k = 0; k < outputs; k++) {
            spread[k] = new double[ref[k].size()];
        }
        for (int run = 0; run < NOISY_RUNS; run++) {
            long seed = random.nextLong();
            for (boolean mirrored : new boolean[] {false, true}) {
                spreadOf(Interpreter.runWithRoundingNoise(graph, feeds, NOISE, new Random(seed), mirrored), ref, spread);
            }
        }
        spreadOf(Interpreter.runInFloat(graph, feeds), ref, spread);
        for (int k = 0; k < outputs; k++) {
            double[] r = ref[k].data();
            double[] d = device[k].data();
            double scale = 0;
            for (double v : r) {
                if (Double.isFinite(v)) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int i = 0; i < r.length; i++) {
                if (!Double.isFinite(r[i])) {
                    continue;
                }
                // below fp32's smallest normal number there is no relative precision to hold, and
                // OpenCL lets a device flush subnormal floats to zero (CL_FP_DENORM is optional)
                double tol = 1e-5 * Math.abs(r[i]) + 1e-6 * scale + 16 * spread[k][i] + Float.MIN_NORMAL;
                if (!(Math.abs(d[i] - r[i]) <= tol)) {
                    return Optional.of(new Disagreement(k, graph.outputs().get(k), i, d[i], r[i], tol));
                }
            }
        }
        return Optional.empty();
    }

    /** Widens each element's spread to its deviation in one noisy run. */
    private static void spreadOf(NDArray[] noisy, NDArray[] ref, double[][] spread) {
        for (int k = 0; k < spread.length; k++) {
            for (int i = 0; i < spread[k].length; i++) {
                // a perturbation that left an op's domain (acos of 1 + 4 ulp) says nothing of rounding slack
                double d = Math.abs(noisy[k].data()[i] - ref[k].data()[i]);
                if (Double.isFinite(d)) {
                    spread[k][i] = Math.max(spread[k][i], d);
                }
            }
        }
    }
}
