package org.arcgrad.arcface.train;

import java.util.function.Function;
import org.arcgrad.arcface.data.Batch;
import org.arcgrad.arcface.data.Batcher;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceBuffer;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * The backbone in inference mode (batch norm on its running statistics, no dropout), compiled
 * separately from the training step. It owns no weights: before each use its parameters are
 * bound, by name, to the buffers that hold them now (the training step's, which swap every step),
 * so evaluation reads the trained values where they already are, with no copy.
 */
public final class Embedder implements AutoCloseable {
    private final Tensor x;
    private final Tensor embedding;
    private final Pass pass;
    private final Executable executable;
    private final int batch;

    public Embedder(DeviceContext context, Network network, int batch) {
        Tape tape = new Tape();
        this.batch = batch;
        this.x = tape.input("x", batch, network.inputs());
        this.pass = new Pass(tape, Mode.EVAL);
        this.embedding = network.backbone().forward(x, pass);
        this.executable = Executable.compile(context, embedding);
    }

    /** Embedding width. */
    public int dim() {
        return embedding.shape().dim(1);
    }

    /**
     * Embeds every sample, in order: row-major size × dim.
     *
     * @param buffers the buffer holding each parameter now, by name (e.g. {@link TrainingStep#buffer})
     */
    public float[] embed(Samples samples, Function<String, DeviceBuffer> buffers) {
        for (ParameterSpec s : pass.specs()) {
            executable.bind(pass.node(s.name()), buffers.apply(s.name()));
        }
        int d = dim();
        float[] out = new float[Math.multiplyExact(samples.size(), d)];
        float[] rows = new float[batch * d];
        Batcher batches = Batcher.forEvaluation(samples, batch);
        Batch b = batches.newBatch();
        batches.startEpoch(0);
        int done = 0;
        while (batches.next(b)) {
            // a last partial batch leaves the previous rows after it: harmless, every row is its own in inference mode
            executable.feed(x, b.features());
            executable.run();
            executable.read(embedding, rows);
            System.arraycopy(rows, 0, out, done * d, b.size() * d);
            done += b.size();
        }
        return out;
    }

    @Override
    public void close() {
        executable.close();
    }
}
