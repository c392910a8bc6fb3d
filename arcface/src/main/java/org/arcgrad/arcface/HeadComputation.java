package org.arcgrad.arcface;

import java.util.Map;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.Executable;
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
        Tensor loss = Functional.crossEntropy(logits, labels);
        Tensor[] grads = tape.grad(loss, x, w);
        outputs = new Tensor[] {logits, loss, grads[0], grads[1]};
    }

    /** Classes C of the logits (W's rows, or fewer for heads with several rows per class). */
    public int classes() {
        return outputs[0].shape().dim(1);
    }

    public HeadResult onInterpreter(float[] xs, float[] ws, int[] ys) {
        NDArray[] r = Interpreter.run(Map.of(
                x, NDArray.of(x.shape(), toDoubles(xs)),
                w, NDArray.of(w.shape(), toDoubles(ws)),
                labels, NDArray.of(Shape.of(ys.length), toDoubles(ys))), outputs);
        return new HeadResult(toFloats(r[0].data()), (float) r[1].item(), toFloats(r[2].data()), toFloats(r[3].data()));
    }

    public HeadResult onDevice(DeviceContext context, float[] xs, float[] ws, int[] ys) {
        try (Executable e = Executable.compile(context, outputs)) {
            e.feed(x, xs).feed(w, ws).feed(labels, ys).run();
            float[][] r = new float[4][];
            for (int i = 0; i < 4; i++) {
                r[i] = new float[(int) outputs[i].shape().numel()];
                e.read(outputs[i], r[i]);
            }
            return new HeadResult(r[0], r[1][0], r[2], r[3]);
        }
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
