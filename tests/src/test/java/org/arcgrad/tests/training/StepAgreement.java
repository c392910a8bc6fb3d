package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.arcface.nn.DropoutMasks;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.arcface.train.TrainingStep;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * Whole training steps on a device against the fp64 interpreter (see {@code
 * TrainingStepAgreementTest}, and the Oclgrind run, which holds the simulator to the same bar).
 * The loss is compared directly; each kept tensor by its change in the step (new − old), which is
 * what the step computes: its worst error must stay below 1e-3 of the largest change of that
 * tensor (fp32 sums over the batch and the GEMMs' K; measured worst, PoCL: 5e-5).
 */
public final class StepAgreement {
    private StepAgreement() {
    }

    /**
     * Runs {@code steps} training steps on the device from a seeded state (nonzero optimizer
     * state, so its update is exercised too) and holds each to the interpreter's step from the
     * state the device had before it.
     */
    public static void check(DeviceContext context, Network network, Optimizer optimizer, int batch, Hyper first,
                             CompileOptions options, int steps) {
        TrainingGraph graph = new TrainingGraph(network, optimizer, batch);
        Random random = new Random(5);
        long seed = 9;
        Map<Tensor, NDArray> feeds = new HashMap<>();
        Map<String, float[]> initial = new LinkedHashMap<>();
        for (ParameterSpec s : graph.specs()) {
            float[] v = s.initialValue(seed);
            if (!s.trainable() || s.name().contains(".momentum") || s.name().contains(".exp_avg")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.1 * random.nextGaussian()); // nonzero state, so its update is exercised too
                    if (s.name().endsWith("running_var") || s.name().endsWith("exp_avg_sq")) {
                        v[i] = Math.abs(v[i]);
                    }
                }
            }
            initial.put(s.name(), v);
        }
        float[] x = new float[batch * network.inputs()];
        int[] labels = new int[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % network.classes();
        }
        feeds.put(graph.x(), NDArray.of(graph.x().shape(), doubles(x)));
        feeds.put(graph.labels(), NDArray.of(graph.labels().shape(), doubles(labels)));
        try (TrainingStep step = new TrainingStep(context, graph, optimizer, options)) {
            step.load(initial);
            Map<String, float[]> state = initial;
            for (int k = 0; k < steps; k++) {
                Hyper hyper = new Hyper(first.step() + k, first.lr(), first.momentum());
                NDArray[] want = interpreterStep(graph, optimizer, state, feeds, hyper, seed);
                float loss = step.run(x, labels, hyper, seed);
                String at = options.plan() + " plan, step " + (k + 1) + ": ";
                assertEquals(want[0].item(), loss, 1e-5 * Math.abs(want[0].item()), at + "loss");
                Map<String, float[]> got = step.values();
                List<String> names = List.copyOf(graph.updates().keySet());
                assertEquals(graph.specs().size(), names.size(), "every kept tensor is updated by the step");
                for (int n = 0; n < names.size(); n++) {
                    String name = names.get(n);
                    double[] before = doubles(state.get(name));
                    double[] after = want[n + 1].data();
                    float[] device = got.get(name);
                    double largest = 0;
                    double worst = 0;
                    for (int i = 0; i < before.length; i++) {
                        largest = Math.max(largest, Math.abs(after[i] - before[i]));
                        worst = Math.max(worst, Math.abs((device[i] - before[i]) - (after[i] - before[i])));
                    }
                    assertTrue(largest > 0, at + name + " did not change");
                    assertTrue(worst <= 1e-3 * largest, at + name + ": worst error of the change " + worst + ", largest change " + largest);
                }
                state = got;
            }
        }
    }

    /** The step's outputs on the interpreter from {@code state}, with the batch in {@code feeds}. */
    private static NDArray[] interpreterStep(TrainingGraph graph, Optimizer optimizer, Map<String, float[]> state,
                                             Map<Tensor, NDArray> batch, Hyper hyper, long seed) {
        Map<Tensor, NDArray> feeds = new HashMap<>(batch);
        for (ParameterSpec s : graph.specs()) {
            feeds.put(graph.params().get(s.name()), NDArray.of(Shape.of(s.shape()), doubles(state.get(s.name()))));
        }
        Map<String, Double> scalars = optimizer.scalarValues(hyper);
        graph.scalars().inputs().forEach((name, node) -> feeds.put(node, NDArray.scalar((float) (double) scalars.get(name))));
        for (Pass.DropoutMask m : graph.dropoutMasks()) {
            float[] mask = DropoutMasks.draw(seed, hyper.step(), m.input().name(), m.p(), (int) m.input().shape().numel());
            feeds.put(m.input(), NDArray.of(m.input().shape(), doubles(mask)));
        }
        for (Tensor in : graph.normalDraws()) {
            feeds.put(in, NDArray.of(in.shape(), doubles(DropoutMasks.normal(seed, hyper.step(), in.name(), (int) in.shape().numel()))));
        }
        return Interpreter.run(feeds, graph.outputs());
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] doubles(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
