package org.arcgrad.arcface.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.arcgrad.arcface.data.PartialFcSampler;
import org.arcgrad.arcface.nn.DropoutMasks;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.CompiledGraph;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.RowCopy;

/**
 * A {@link TrainingGraph} compiled once on a device, whole or a chunk of classes at a time
 * ({@link ChunkedExecutable}: no N×C buffer). Every kept tensor lives in a device buffer; after
 * each run the new values take their place ({@link CompiledGraph#update}), so per step only the
 * batch, the labels, the step's scalars and any dropout masks go up, and only the loss (4 bytes)
 * comes back.
 *
 * <p>With Partial FC ({@link TrainingGraph#sampledClasses}) the head's W and its optimizer state
 * stay whole in buffers of this step's own; each step draws its classes ({@link PartialFcSampler}),
 * gathers their rows into the graph's parameters, runs, and scatters the new rows back, all on the
 * device. Rows not drawn keep their weights and optimizer state as they were: momentum and weight
 * decay act on the drawn rows only (insightface's PartialFC; see the README).
 */
public final class TrainingStep implements AutoCloseable {
    private final TrainingGraph graph;
    private final Optimizer optimizer;
    private final CompiledGraph executable;
    private final float[] lossOut = new float[1];
    /** Partial FC: the sampler, the whole kept tensors the graph sees rows of, and the row copies; null, empty and null without it. */
    private final PartialFcSampler sampler;
    private final Map<String, DeviceBuffer> whole = new LinkedHashMap<>();
    private final RowCopy rowCopy;
    private final DeviceBuffer sampledClasses;

    /** Compiles with the options the environment sets (ARCGRAD_PLAN, ARCGRAD_VERIFY). */
    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer) {
        this(context, graph, optimizer, CompileOptions.fromEnvironment());
    }

    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer, CompileOptions options) {
        this(context, graph, optimizer, options, null);
    }

    /**
     * @param classChunk classes per chunk for the chunked path, or null for the whole graph
     * @throws IllegalArgumentException with a chunk width, when the graph has no class region (a pair loss, which has no W)
     */
    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer, CompileOptions options, Integer classChunk) {
        this(context, graph, optimizer, options, classChunk, null);
    }

    /**
     * @param sampler Partial FC's class sampler, drawing {@link TrainingGraph#sampledClasses} classes per step,
     *                or null when the graph computes every class
     */
    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer, CompileOptions options, Integer classChunk,
                        PartialFcSampler sampler) {
        if ((sampler == null) != (graph.sampledClasses() == 0) || sampler != null && sampler.perStep() != graph.sampledClasses()) {
            throw new IllegalArgumentException("the graph computes " + graph.sampledClasses() + " sampled classes, the sampler draws "
                    + (sampler == null ? "none" : sampler.perStep()));
        }
        this.graph = graph;
        this.optimizer = optimizer;
        this.sampler = sampler;
        this.executable = classChunk == null ? Executable.compile(context, options, graph.outputs())
                : ChunkedExecutable.compile(context, options, classChunk, graph.outputs());
        try {
            for (Map.Entry<String, Tensor> u : graph.updates().entrySet()) {
                executable.update(graph.params().get(u.getKey()), u.getValue());
            }
            if (sampler != null) {
                for (ParameterSpec s : graph.specs()) {
                    if (graph.sampled(s.name())) {
                        whole.put(s.name(), context.floatBuffer(s.name(), s.elements()));
                        Tensor rows = graph.params().get(s.name());
                        executable.feed(rows, new float[(int) rows.shape().numel()]); // the buffer each step gathers into
                    }
                }
                rowCopy = new RowCopy(context);
                sampledClasses = context.intBuffer("sampled classes", graph.sampledClasses());
            } else {
                rowCopy = null;
                sampledClasses = null;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public TrainingGraph graph() {
        return graph;
    }

    public CompiledGraph executable() {
        return executable;
    }

    /** Uploads every kept tensor's value, by name; all must be given. */
    public void load(Map<String, float[]> values) {
        for (ParameterSpec s : graph.specs()) {
            float[] v = values.get(s.name());
            if (v == null) {
                throw new IllegalArgumentException("no value for " + s);
            }
            DeviceBuffer w = whole.get(s.name());
            if (w != null) {
                w.upload(v);
            } else {
                executable.feed(graph.params().get(s.name()), v);
            }
        }
    }

    /**
     * Runs one step on a batch and returns its loss (before the update, as torch's loss.item()).
     *
     * @param seed the run's seed, from which dropout masks and other random inputs are drawn with the step number
     */
    public float run(float[] x, int[] labels, Hyper hyper, long seed) {
        int[] used = sampler == null ? labels : drawClasses(labels, hyper.step());
        executable.feed(graph.x(), x).feed(graph.labels(), used);
        Map<String, Double> values = optimizer.scalarValues(hyper);
        for (Map.Entry<String, Tensor> s : graph.scalars().inputs().entrySet()) {
            Double v = values.get(s.getKey());
            if (v == null) {
                throw new IllegalStateException("the optimizer gave no value for step input " + s.getKey());
            }
            executable.feed(s.getValue(), new float[] {v.floatValue()});
        }
        for (Pass.DropoutMask m : graph.dropoutMasks()) {
            Tensor in = m.input();
            executable.feed(in, DropoutMasks.draw(seed, hyper.step(), in.name(), m.p(), (int) in.shape().numel()));
        }
        for (Tensor in : graph.normalDraws()) {
            executable.feed(in, DropoutMasks.normal(seed, hyper.step(), in.name(), (int) in.shape().numel()));
        }
        executable.run();
        for (Map.Entry<String, DeviceBuffer> w : whole.entrySet()) { // the new rows, after the run's buffer swaps
            rowCopy.scatter(executable.buffer(graph.params().get(w.getKey())), sampledClasses, w.getValue(), rowWidth(w.getKey()));
        }
        executable.read(graph.loss(), lossOut);
        return lossOut[0];
    }

    /** Partial FC: draws this step's classes, gathers their rows into the graph's parameters; returns the labels as positions in the sample. */
    private int[] drawClasses(int[] labels, long step) {
        PartialFcSampler.Sample sample = sampler.sample(labels, step);
        if (sample.classes().length != graph.sampledClasses()) {
            // only when the batch holds more classes than a step samples, which Trainer rules out (rate · C ≥ batch)
            throw new IllegalStateException("step " + step + ": the batch holds " + sample.classes().length + " classes, more than the "
                    + graph.sampledClasses() + " a step computes");
        }
        sampledClasses.upload(sample.classes());
        for (Map.Entry<String, DeviceBuffer> w : whole.entrySet()) {
            rowCopy.gather(w.getValue(), sampledClasses, executable.buffer(graph.params().get(w.getKey())), rowWidth(w.getKey()));
        }
        return sample.labels();
    }

    /** Elements of one class's rows: D, or K·D for a sub-center head (its K rows are contiguous). */
    private int rowWidth(String name) {
        return (int) (graph.params().get(name).shape().numel() / graph.sampledClasses());
    }

    /**
     * Runs one step on a zero batch and then uploads {@code values} again, so the state is
     * exactly {@code values}: drivers that finish compiling a kernel at its first launch (PoCL
     * does) pay for it here, not inside the first timed epoch.
     */
    public void warmUp(Map<String, float[]> values) {
        run(new float[(int) graph.x().shape().numel()], new int[(int) graph.labels().shape().numel()], new Hyper(0, 0, Double.NaN), 0);
        load(values);
    }

    /** Downloads every kept tensor, by name (for checkpoints and exports). */
    public Map<String, float[]> values() {
        Map<String, float[]> v = new LinkedHashMap<>();
        for (ParameterSpec s : graph.specs()) {
            float[] a = new float[s.elements()];
            DeviceBuffer w = whole.get(s.name());
            if (w != null) {
                w.download(a, 0);
            } else {
                executable.read(graph.params().get(s.name()), a);
            }
            v.put(s.name(), a);
        }
        return v;
    }

    /** The buffer holding a kept tensor now (it changes after every run: buffers swap). */
    public DeviceBuffer buffer(String name) {
        DeviceBuffer w = whole.get(name);
        return w != null ? w : executable.buffer(graph.params().get(name));
    }

    @Override
    public void close() {
        if (executable != null) {
            executable.close();
        }
        whole.values().forEach(DeviceBuffer::release);
        if (sampledClasses != null) {
            sampledClasses.release();
        }
    }
}
