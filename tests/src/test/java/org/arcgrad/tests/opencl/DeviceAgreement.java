package org.arcgrad.tests.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.tests.gradients.BuiltCase;
import org.arcgrad.tests.gradients.GradCase;

/**
 * Runs a case's forward and backward (the gradient of ⟨out, v⟩ for a random v) on the OpenCL
 * device in fp32 and on the interpreter in fp64, and asserts they agree.
 *
 * <p>Tolerance: both sides get the same inputs (rounded to fp32 first), so the difference is the
 * device's fp32 arithmetic. An element passes when |device − ref| ≤ 1e-5·|ref| + 1e-6·scale +
 * 16·|Δ|, where scale is the largest |ref| of that output and Δ is the largest deviation of three
 * fp64 runs with Monte Carlo rounding noise of four fp32 ulps on every arithmetic result
 * ({@link Interpreter#runWithRoundingNoise}): an ill-conditioned element (a difference of nearly
 * equal intermediates, say) gets the slack its conditioning demands, a well-conditioned one is
 * held near 1e-5. NaN or infinity on the device where the reference is finite always fails.
 */
final class DeviceAgreement {
    /**
     * The noise per arithmetic result: four fp32 ulps, since OpenCL allows its builtins (exp, log,
     * sqrt, rsqrt, division) errors of 2 to 4 ulp, not only the half ulp of a rounding.
     */
    private static final double NOISE = 4 * 0x1p-24;

    private DeviceAgreement() {
    }

    static void assertDeviceMatchesInterpreter(GradCase c) {
        BuiltCase b = BuiltCase.of(c, GradientTable.STANDARD);
        Random random = new Random(c.seed());
        for (Map.Entry<Tensor, NDArray> e : b.feeds().entrySet()) {
            if (e.getKey().dtype() == DType.FLOAT) {
                roundToFloat(e.getValue().data());
            }
        }
        NDArray v = NDArray.gaussian(b.out().shape(), random);
        roundToFloat(v.data());
        Tensor loss = b.dot("agreement.cotangent", v);
        Tensor[] grads = b.tape().grad(loss, b.args());
        List<Tensor> outputs = new ArrayList<>();
        outputs.add(b.out());
        outputs.addAll(List.of(grads));
        Tensor[] outs = outputs.toArray(new Tensor[0]);

        NDArray[] ref = Interpreter.run(b.feeds(), outs);
        Graph graph = Graph.of(outs);
        double[][] spread = new double[outs.length][];
        for (int k = 0; k < outs.length; k++) {
            spread[k] = new double[ref[k].size()];
        }
        for (int run = 0; run < 3; run++) {
            NDArray[] noisy = Interpreter.runWithRoundingNoise(graph, b.feeds(), NOISE, random);
            for (int k = 0; k < outs.length; k++) {
                for (int i = 0; i < spread[k].length; i++) {
                    spread[k][i] = Math.max(spread[k][i], Math.abs(noisy[k].data()[i] - ref[k].data()[i]));
                }
            }
        }
        NDArray[] dev;
        try (Executable e = Executable.compile(SharedDevice.context(), outs)) {
            dev = e.run(b.feeds());
        }
        for (int k = 0; k < outs.length; k++) {
            String what = k == 0 ? "forward" : "gradient of arg" + (k - 1);
            compare(what, ref[k].data(), spread[k], dev[k].data(), b);
        }
    }

    private static void compare(String what, double[] ref, double[] spread, double[] dev, BuiltCase b) {
        double scale = 0;
        for (double r : ref) {
            if (Double.isFinite(r)) {
                scale = Math.max(scale, Math.abs(r));
            }
        }
        for (int i = 0; i < ref.length; i++) {
            if (!Double.isFinite(ref[i])) {
                continue; // the reference itself overflowed; nothing to hold fp32 to
            }
            double tol = 1e-5 * Math.abs(ref[i]) + 1e-6 * scale + 16 * spread[i];
            if (!(Math.abs(dev[i] - ref[i]) <= tol)) {
                throw new AssertionError(what + "[" + i + "]: device " + dev[i] + " vs interpreter " + ref[i]
                        + " (tolerance " + tol + ")\n" + b.tape().dump());
            }
        }
    }

    private static void roundToFloat(double[] d) {
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) d[i];
        }
    }
}
