package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.nn.DropoutMasks;
import org.arcgrad.arcface.nn.Mlp;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.arcface.train.TrainingStep;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.tests.opencl.SharedDevice;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole training steps (forward, backward, optimizer update, batch-norm statistics) compiled for
 * the device under both kernel plans, against the same graph on the fp64 interpreter. Three steps
 * run one after the other on the device (parameters and optimizer state stay there, swapped by
 * updates); each is held to the interpreter's step from the state the device had before it. The
 * loss is compared directly; each kept tensor by its change in the step (new − old), which is what
 * the step computes: its worst error must stay below 1e-3 of the largest change of that tensor
 * (fp32 sums over the batch and the GEMMs' K; measured worst, PoCL: 5e-5).
 */
class TrainingStepAgreementTest {
    private static final int STEPS = 3;

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void sgdWithNesterovMomentumOnTheSmallRun(PlanChoice plan) {
        Recipe recipe = SmallRun.recipe(1);
        check(SmallRun.network(recipe), recipe.optimizer(), 64, new Hyper(10, 0.05, 0.9), plan);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void adamWWithPreluAndDropout(PlanChoice plan) {
        Recipe recipe = new Recipe().hidden(List.of(24)).embedding(8).activation(Mlp.Activation.PRELU).dropout(0.25)
                .optimizer(Recipe.OptimizerKind.adamw);
        Network network = recipe.network(12, new ArcFace(30, 0.5, false), 5, 1);
        check(network, recipe.optimizer(), 32, new Hyper(3, 0.01, 0.9), plan);
    }

    private static void check(Network network, Optimizer optimizer, int batch, Hyper first, PlanChoice plan) {
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
        try (TrainingStep step = new TrainingStep(SharedDevice.context(), graph, optimizer, CompileOptions.defaults().withPlan(plan))) {
            step.load(initial);
            Map<String, float[]> state = initial;
            for (int k = 0; k < STEPS; k++) {
                Hyper hyper = new Hyper(first.step() + k, first.lr(), first.momentum());
                NDArray[] want = interpreterStep(graph, optimizer, state, feeds, hyper, seed);
                float loss = step.run(x, labels, hyper, seed);
                String at = plan + " plan, step " + (k + 1) + ": ";
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
