package org.arcgrad.arcface;

import java.util.Map;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.CompiledGraph;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.fused.ClassRegionFinder;
import org.arcgrad.opencl.runtime.DeviceContext;

/**
 * A margin head followed by mean softmax cross-entropy, forward and backward, on one batch: the
 * computation behind {@code arcgrad head}, on the fp64 interpreter or an OpenCL device.
 */
public final class HeadComputation {
    private final Tape tape = new Tape();
    private final Tensor x;
    private final Tensor w;
    private final Tensor labels;
    private final Tensor[] outputs;

    /** Records the graph for x [n, d], W [rows, d] and labels [n]. */
    public HeadComputation(MarginHead head, int n, int d, int wRows) {
        x = tape.param("x", n, d);
        w = tape.param("w", wRows, d);
        labels = tape.labels("labels", n);
        Tensor logits = head.logits(x, w, labels);
        Tensor loss = head.loss(logits, x, labels);
        Tensor[] grads = tape.grad(loss, x, w);
        outputs = new Tensor[] {logits, loss, grads[0], grads[1]};
    }

    /** Classes C of the logits (W's rows, or fewer for heads with several rows per class). */
    public int classes() {
        return outputs[0].shape().dim(1);
    }

    public HeadResult onInterpreter(float[] xs, float[] ws, int[] ys) {
        NDArray[] r = Interpreter.run(feeds(xs, ws, ys), outputs);
        return new HeadResult(toFloats(r[0].data()), (float) r[1].item(), toFloats(r[2].data()), toFloats(r[3].data()));
    }

    private Map<Tensor, NDArray> feeds(float[] xs, float[] ws, int[] ys) {
        return Map.of(x, NDArray.of(x.shape(), toDoubles(xs)), w, NDArray.of(w.shape(), toDoubles(ws)),
                labels, NDArray.of(Shape.of(ys.length), toDoubles(ys)));
    }

    /**
     * Loss and gradients computed {@code width} classes at a time ({@link ChunkedExecutable}: no
     * device buffer holds N×C values), the logits by a forward-only executable of their own.
     *
     * @throws IllegalArgumentException when the head's graph cannot be split by classes (the message says why)
     */
    public HeadResult onDeviceByChunks(DeviceContext context, float[] xs, float[] ws, int[] ys, int width) {
        CompileOptions options = CompileOptions.fromEnvironment();
        float[][] rest;
        try (ChunkedExecutable e = ChunkedExecutable.compile(context, options, width, outputs[1], outputs[2], outputs[3])) {
            rest = runAndRead(e, xs, ws, ys, outputs[1], outputs[2], outputs[3]);
        }
        try (Executable forward = Executable.compile(context, options, outputs[0])) {
            float[] logits = runAndRead(forward, xs, ws, ys, outputs[0])[0];
            return new HeadResult(logits, rest[0][0], rest[1], rest[2]);
        }
    }

    /** Whether the head's loss and gradients can be computed a chunk of classes at a time (every margin head can). */
    public boolean splitsByClasses() {
        return ClassRegionFinder.find(Graph.of(outputs[1], outputs[2], outputs[3])).region().isPresent();
    }

    public HeadResult onDevice(DeviceContext context, float[] xs, float[] ws, int[] ys) {
        try (Executable e = Executable.compile(context, outputs)) {
            float[][] r = runAndRead(e, xs, ws, ys, outputs);
            return new HeadResult(r[0], r[1][0], r[2], r[3]);
        }
    }

    /** Feeds the batch as fp32 (no fp64 copy of W on the host), runs, and reads {@code outs}. */
    private float[][] runAndRead(CompiledGraph e, float[] xs, float[] ws, int[] ys, Tensor... outs) {
        e.feed(x, xs).feed(w, ws).feed(labels, ys).run();
        float[][] r = new float[outs.length][];
        for (int i = 0; i < outs.length; i++) {
            r[i] = new float[(int) outs[i].shape().numel()];
            e.read(outs[i], r[i]);
        }
        return r;
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] toDoubles(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
