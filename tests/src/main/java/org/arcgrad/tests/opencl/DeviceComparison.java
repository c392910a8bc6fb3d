package org.arcgrad.tests.opencl;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.InterpreterAgreement;
import org.arcgrad.opencl.compile.PlanChoice;

/**
 * Runs a graph's outputs on the OpenCL device in fp32 and on the interpreter in fp64 and returns
 * where they disagree by {@link InterpreterAgreement}'s rule (rounding-noise tolerance). Float
 * feeds are rounded to fp32 first, in place, so that both sides read the same inputs.
 */
public final class DeviceComparison {
    private DeviceComparison() {
    }

    /** Executables for the shared device under {@code plan}. */
    public static Function<Tensor[], Executable> under(PlanChoice plan) {
        return outs -> Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), outs);
    }

    /**
     * Rounds the values of float sources to fp32, in place (labels stay), so that the device and the
     * interpreter read the same inputs; returns {@code feeds}.
     */
    public static Map<Tensor, NDArray> roundToFloat(Map<Tensor, NDArray> feeds) {
        for (Map.Entry<Tensor, NDArray> e : feeds.entrySet()) {
            if (e.getKey().dtype() == DType.FLOAT) {
                double[] d = e.getValue().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) d[i];
                }
            }
        }
        return feeds;
    }

    /**
     * The outputs computed on the device under {@code plan} from fp32-rounded copies of the feeds
     * (the feeds themselves stay as they are): to hold the device to fixtures directly.
     */
    public static NDArray[] deviceValues(List<Tensor> outputs, Map<Tensor, NDArray> feeds, PlanChoice plan) {
        Map<Tensor, NDArray> rounded = new java.util.HashMap<>();
        feeds.forEach((t, v) -> rounded.put(t, v.copy()));
        roundToFloat(rounded);
        try (Executable e = under(plan).apply(outputs.toArray(new Tensor[0]))) {
            return e.run(rounded);
        }
    }

    /** The first disagreement between the device (executables from {@code compile}) and the interpreter, if any. */
    public static Optional<InterpreterAgreement.Disagreement> compare(List<Tensor> outputs, Map<Tensor, NDArray> feeds, Random random,
                                                                      Function<Tensor[], Executable> compile) {
        roundToFloat(feeds);
        Tensor[] outs = outputs.toArray(new Tensor[0]);
        NDArray[] dev;
        try (Executable e = compile.apply(outs)) {
            dev = e.run(feeds);
        }
        return InterpreterAgreement.check(Graph.of(outs), feeds, dev, random);
    }
}
