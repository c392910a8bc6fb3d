package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.arcface.data.PartialFcSampler;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.optim.Sgd;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.arcface.train.TrainingStep;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Partial FC's training step on the device against a dense computation over the same sampled
 * classes: the interpreter evaluates the loss of the head on {@code gatherRows(W, classes)} with
 * the batch's labels renumbered into the sample, and its gradients with respect to every trained
 * tensor, W whole included (zero outside the sample, by gatherRows' own gradient rule); SGD with
 * Nesterov momentum and weight decay is then applied here by its formula, to the sampled rows of W
 * and of its momentum only. The device's step must agree on the loss (1e-5 relative) and on every
 * trained tensor's and momentum buffer's change (1e-3 of its largest change, {@link StepAgreement}'s
 * bar), and must leave the rows of W and of its momentum that were not drawn bitwise as they were.
 * Two steps, each from the state the device had before it, with nonzero momentum to start with.
 * With a sub-center head (K rows of W a class) the sample draws a class's K rows together.
 */
class PartialFcStepTest {
    private static final int CLASSES = 40;
    private static final int BATCH = 8;
    private static final double RATE = 0.25; // 10 classes a step
    private static final double MOMENTUM = 0.9;
    private static final double WEIGHT_DECAY = 5e-3;
    private static final long SEED = 17;

    @ParameterizedTest(name = "{0} plan, class chunk {1}, {2} centres")
    @CsvSource({"CPU, 0, 1", "GPU, 0, 1", "CPU, 3, 1", "GPU, 0, 2", "CPU, 3, 2"})
    void theSampledStepIsTheDenseStepOverTheSampledClasses(PlanChoice plan, int chunk, int centres) {
        Recipe recipe = new Recipe().hidden(List.of(16)).embedding(8);
        Network network = recipe.network(12, centres == 1 ? new ArcFace(30, 0.5, false) : new SubCenterArcFace(30, 0.5, false, centres),
                CLASSES, centres);
        int block = centres * 8; // a class's rows of W, contiguous
        Sgd sgd = new Sgd(MOMENTUM, true, WEIGHT_DECAY);
        PartialFcSampler sampler = new PartialFcSampler(CLASSES, RATE, SEED);
        TrainingGraph graph = new TrainingGraph(network, sgd, BATCH, sampler.perStep());
        Reference reference = new Reference(network, sampler.perStep() * centres);
        Random random = new Random(4);

        Map<String, float[]> state = new LinkedHashMap<>();
        for (ParameterSpec s : graph.specs()) {
            float[] v = s.initialValue(SEED);
            if (s.name().endsWith(".momentum_buffer")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.1 * random.nextGaussian()); // nonzero, so rows left alone are told from rows zeroed
                }
            }
            state.put(s.name(), v);
        }
        long allocatedBefore = SharedDevice.context().allocatedBytes();
        try (TrainingStep step = new TrainingStep(SharedDevice.context(), graph, sgd, CompileOptions.defaults().withPlan(plan),
                chunk == 0 ? null : chunk, sampler)) {
            step.load(state);
            // the whole W and momentum (kept by the step, not the graph) are what buffer(name) and values() show
            assertEquals(4L * CLASSES * block, step.buffer(Network.HEAD_WEIGHT).bytes());
            for (int k = 0; k < 2; k++) {
                float[] x = new float[BATCH * 12];
                int[] labels = new int[BATCH];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < BATCH; i++) {
                    labels[i] = random.nextInt(CLASSES);
                }
                labels[0] = 0;
                labels[1] = CLASSES - 1;
                Hyper hyper = new Hyper(5 + k, 0.05, MOMENTUM);
                PartialFcSampler.Sample sample = new PartialFcSampler(CLASSES, RATE, SEED).sample(labels, hyper.step());
                String at = plan + " plan, chunk " + chunk + ", " + centres + " centres, step " + (k + 1) + ", classes "
                        + Arrays.toString(sample.classes()) + ": ";

                Map<String, double[]> want = new HashMap<>();
                double wantLoss = reference.step(state, x, sample, centres, hyper.lr(), want);
                float loss = step.run(x, labels, hyper, SEED);
                assertEquals(wantLoss, loss, 1e-5 * Math.abs(wantLoss), at + "loss");

                Map<String, float[]> got = step.values();
                for (Map.Entry<String, double[]> e : want.entrySet()) {
                    String name = e.getKey();
                    float[] before = state.get(name);
                    float[] device = got.get(name);
                    double largest = 0;
                    double worst = 0;
                    for (int i = 0; i < before.length; i++) {
                        largest = Math.max(largest, Math.abs(e.getValue()[i] - before[i]));
                        worst = Math.max(worst, Math.abs((device[i] - before[i]) - (e.getValue()[i] - before[i])));
                    }
                    assertTrue(largest > 0, at + name + " did not change");
                    assertTrue(worst <= 1e-3 * largest, at + name + ": worst error of the change " + worst + ", largest change " + largest);
                }
                for (String name : List.of(Network.HEAD_WEIGHT, Network.HEAD_WEIGHT + ".momentum_buffer")) {
                    for (int c = 0; c < CLASSES; c++) {
                        if (Arrays.binarySearch(sample.classes(), c) < 0) {
                            assertArrayEquals(Arrays.copyOfRange(state.get(name), c * block, c * block + block),
                                    Arrays.copyOfRange(got.get(name), c * block, c * block + block), at + name + " class " + c + " was not drawn");
                        }
                    }
                }
                state = got;
            }
        }
        assertEquals(allocatedBefore, SharedDevice.context().allocatedBytes(), "closing the step gives back every buffer it took");
    }

    /** The head on gatherRows(W, rows of the sampled classes), differentiated on the interpreter with respect to every trained tensor. */
    private static final class Reference {
        private final Tensor x;
        private final Tensor labels;
        private final Tensor rows;
        private final Tensor loss;
        private final Map<String, Tensor> params = new LinkedHashMap<>();
        private final List<String> trained;
        private final Tensor[] grads;

        Reference(Network network, int sampledRows) {
            Tape tape = new Tape();
            x = tape.input("x", BATCH, network.inputs());
            labels = tape.labels("labels", BATCH);
            rows = tape.labels("rows", sampledRows);
            Pass pass = new Pass(tape, Mode.TRAIN);
            Tensor embedding = network.backbone().forward(x, pass);
            Tensor w = pass.param(network.headWeight().orElseThrow());
            loss = Functional.crossEntropy(network.head().orElseThrow().logits(embedding, Functional.gatherRows(w, rows), labels), labels);
            for (ParameterSpec s : pass.specs()) {
                params.put(s.name(), pass.node(s.name()));
            }
            trained = pass.specs().stream().filter(ParameterSpec::trainable).map(ParameterSpec::name).toList();
            grads = tape.grad(loss, trained.stream().map(params::get).toArray(Tensor[]::new));
        }

        /** The loss, and in {@code next} each trained tensor and momentum buffer after SGD with Nesterov momentum. */
        double step(Map<String, float[]> state, float[] xValues, PartialFcSampler.Sample sample, int centres, double lr,
                    Map<String, double[]> next) {
            Map<Tensor, NDArray> feeds = new HashMap<>();
            feeds.put(x, NDArray.of(x.shape(), doubles(xValues)));
            feeds.put(labels, NDArray.of(labels.shape(), Arrays.stream(sample.labels()).asDoubleStream().toArray()));
            feeds.put(rows, NDArray.of(rows.shape(), Arrays.stream(sample.classes())
                    .flatMap(c -> java.util.stream.IntStream.range(c * centres, (c + 1) * centres)).asDoubleStream().toArray()));
            params.forEach((name, node) -> feeds.put(node, NDArray.of(node.shape(), doubles(state.get(name)))));
            Tensor[] outputs = new Tensor[grads.length + 1];
            outputs[0] = loss;
            System.arraycopy(grads, 0, outputs, 1, grads.length);
            NDArray[] values = Interpreter.run(feeds, outputs);
            for (int t = 0; t < trained.size(); t++) {
                String name = trained.get(t);
                double[] p = doubles(state.get(name));
                double[] buf = doubles(state.get(name + ".momentum_buffer"));
                double[] grad = values[t + 1].data();
                boolean head = name.equals(Network.HEAD_WEIGHT);
                int width = head ? p.length / CLASSES : p.length;
                for (int i = 0; i < p.length; i++) {
                    if (head && Arrays.binarySearch(sample.classes(), i / width) < 0) {
                        continue; // a row not drawn keeps weight and momentum
                    }
                    double d = grad[i] + WEIGHT_DECAY * p[i];
                    buf[i] = MOMENTUM * buf[i] + d;
                    p[i] -= lr * (d + MOMENTUM * buf[i]);
                }
                next.put(name, p);
                next.put(name + ".momentum_buffer", buf);
            }
            return values[0].item();
        }
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
