package org.arcgrad.tests.parity;

import java.util.Map;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/** Runs a head + mean cross-entropy, forward and backward, on some backend. */
interface HeadBackend {
    /** Evaluates {@code outputs} (logits, loss, grad x, grad W) given the feeds. */
    double[][] evaluate(Map<Tensor, NDArray> feeds, Tensor... outputs);

    default HeadOutputs run(MarginHead head, double[] x, double[] w, int[] labels, int n, int d, int c) {
        Tape tape = new Tape();
        Tensor xt = tape.param("x", n, d);
        Tensor wt = tape.param("w", w.length / d, d);
        Tensor yt = tape.labels("y", n);
        Tensor logits = head.logits(xt, wt, yt);
        Tensor loss = Functional.crossEntropy(logits, yt);
        Tensor[] grads = tape.grad(loss, xt, wt);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[i];
        }
        double[][] r = evaluate(Map.of(
                xt, NDArray.of(Shape.of(n, d), x.clone()),
                wt, NDArray.of(wt.shape(), w.clone()),
                yt, NDArray.of(Shape.of(n), y)), logits, loss, grads[0], grads[1]);
        return new HeadOutputs(r[0], r[1][0], r[2], r[3]);
    }
}
