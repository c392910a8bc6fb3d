package org.arcgrad.arcface.train;

import java.util.LinkedHashMap;
import java.util.Map;
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

/**
 * A {@link TrainingGraph} compiled once on a device, whole or a chunk of classes at a time
 * ({@link ChunkedExecutable}: no N×C buffer). Every kept tensor lives in a device buffer; after
 * each run the new values take their place ({@link CompiledGraph#update}), so per step only the
 * batch, the labels, the step's scalars and any dropout masks go up, and only the loss (4 bytes)
 * comes back.
 */
public final class TrainingStep implements AutoCloseable {
    private final TrainingGraph graph;
    private final Optimizer optimizer;
    private final CompiledGraph executable;
    private final float[] lossOut = new float[1];

    /** Compiles with the options the environment sets (ARCGRAD_PLAN, ARCGRAD_VERIFY). */
    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer) {
        this(context, graph, optimizer, CompileOptions.fromEnvironment());
    }

    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer, CompileOptions options) {
        this(context, graph, optimizer, options, null);
    }

    /**
     * @param classChunk classes per chunk for the chunked path, or null for the whole graph
     * @throws IllegalArgumentException with a chunk width, when the graph has no class region (a sub-center head)
     */
    public TrainingStep(DeviceContext context, TrainingGraph graph, Optimizer optimizer, CompileOptions options, Integer classChunk) {
        this.graph = graph;
        this.optimizer = optimizer;
        this.executable = classChunk == null ? Executable.compile(context, options, graph.outputs())
                : ChunkedExecutable.compile(context, options, classChunk, graph.outputs());
        for (Map.Entry<String, Tensor> u : graph.updates().entrySet()) {
            executable.update(graph.params().get(u.getKey()), u.getValue());
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
            executable.feed(graph.params().get(s.name()), v);
        }
    }

    /**
     * Runs one step on a batch and returns its loss (before the update, as torch's loss.item()).
     *
     * @param seed the run's seed, from which dropout masks are drawn with the step number
     */
    public float run(float[] x, int[] labels, Hyper hyper, long seed) {
        executable.feed(graph.x(), x).feed(graph.labels(), labels);
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
        executable.run();
        executable.read(graph.loss(), lossOut);
        return lossOut[0];
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
            executable.read(graph.params().get(s.name()), a);
            v.put(s.name(), a);
        }
        return v;
    }

    /** The buffer holding a kept tensor now (it changes after every run: buffers swap). */
    public DeviceBuffer buffer(String name) {
        return executable.buffer(graph.params().get(name));
    }

    @Override
    public void close() {
        executable.close();
    }
}
