package org.arcgrad.tests.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.fixtures.FixtureFiles;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.arcgrad.tests.opencl.DeviceComparison;

/**
 * The fixtures of a head with training state over consecutive steps (k = 1, 2): per step
 * x&lt;k&gt;, labels&lt;k&gt;, logits&lt;k&gt;, loss&lt;k&gt;, grad_x&lt;k&gt;, grad_w&lt;k&gt;, and for each state
 * value its old value (&lt;file&gt;_old&lt;k&gt;) and new one (&lt;file&gt;&lt;k&gt;); w.npy for both steps.
 *
 * @param states state parameter name → its fixture file stem (CurricularFace.T → "t")
 */
record StatefulHeadFixture(FixtureFiles files, Map<String, String> states) {

    /** The head in a training pass: x, W and the state as PARAMs, the loss (the head's), its gradients, the reported state. */
    record Step(Tape tape, Tensor x, Tensor w, Tensor y, Map<String, Tensor> stateOld, List<Tensor> outputs) {
        static Step of(MarginHead head, Map<String, String> states, int n, int d, int rows) {
            Tape tape = new Tape();
            Pass pass = new Pass(tape, Mode.TRAIN);
            Tensor x = tape.param("x", n, d);
            Tensor w = tape.param("w", rows, d);
            Tensor y = tape.labels("y", n);
            Tensor logits = head.logits(x, w, y, pass);
            Tensor loss = head.loss(logits, x, y);
            Tensor[] grads = tape.grad(loss, x, w);
            List<Tensor> outputs = new ArrayList<>(List.of(logits, loss, grads[0], grads[1]));
            Map<String, Tensor> old = new HashMap<>();
            for (String name : states.keySet()) {
                old.put(name, pass.node(name));
                outputs.add(pass.stateUpdates().get(name));
            }
            return new Step(tape, x, w, y, old, outputs);
        }
    }

    Step step(MarginHead head, String c, int k) {
        NDArray x = files.array(c, "x" + k + ".npy");
        NDArray w = files.array(c, "w.npy");
        return Step.of(head, states, x.shape().dim(0), x.shape().dim(1), w.shape().dim(0));
    }

    Map<Tensor, NDArray> feeds(Step s, String c, int k) {
        Map<Tensor, NDArray> f = new HashMap<>(Map.of(s.x(), files.array(c, "x" + k + ".npy"), s.w(), files.array(c, "w.npy"), s.y(),
                files.array(c, "labels" + k + ".npy")));
        states.forEach((name, stem) -> f.put(s.stateOld().get(name), files.array(c, stem + "_old" + k + ".npy")));
        return f;
    }

    /** Logits, loss, gradients and the new state at fp64 rounding against the fixture's step k. */
    void assertInterpreterMatches(MarginHead head, String c, int k) {
        Step s = step(head, c, k);
        NDArray[] got = Interpreter.run(feeds(s, c, k), s.outputs().toArray(new Tensor[0]));
        String at = c + " step " + k;
        assertClose(files.array(c, "logits" + k + ".npy"), got[0], 1e-12, at + " logits");
        assertClose(files.array(c, "loss" + k + ".npy"), got[1], 1e-12, at + " loss");
        assertClose(files.array(c, "grad_x" + k + ".npy"), got[2], 1e-10, at + " grad x");
        assertClose(files.array(c, "grad_w" + k + ".npy"), got[3], 1e-10, at + " grad W");
        int i = 4;
        for (String stem : states.values()) {
            assertClose(files.array(c, stem + k + ".npy"), got[i++], 1e-14, at + " new " + stem);
        }
    }

    /**
     * The device under {@code plan} on step 2 (the state carried from step 1): against the
     * interpreter by the rounding-noise rule, and against the fixture at {@link #FP32}.
     */
    void assertDeviceAgrees(MarginHead head, String c, PlanChoice plan) {
        Step s = step(head, c, 2);
        DeviceAgreement.assertDeviceMatchesInterpreter(s.outputs(), feeds(s, c, 2), plan, new Random(6), k -> "output " + k, s.tape().dump());
        List<String> files = new ArrayList<>(List.of("logits2.npy", "loss2.npy", "grad_x2.npy", "grad_w2.npy"));
        states.values().forEach(stem -> files.add(stem + "2.npy"));
        assertDeviceMatchesFixture(s.outputs(), feeds(s, c, 2), plan, files.stream().map(f -> this.files.array(c, f)).toList(),
                c + " step 2, " + plan + " plan: " + files);
    }

    /**
     * fp32 tolerance of the device against a head's fixture (the authors' code in float64): every
     * element within this fraction of its output's largest |value|. Measured worst with PoCL, both
     * plans, over every MagFace, CurricularFace, AdaFace and ElasticFace fixture: 5.7e-7 (a grad W).
     */
    static final double FP32 = 1e-5;

    /** {@code outputs} computed on the device under {@code plan}, each within {@link #FP32} of the matching fixture array. */
    static void assertDeviceMatchesFixture(List<Tensor> outputs, Map<Tensor, NDArray> feeds, PlanChoice plan, List<NDArray> want,
                                           String what) {
        NDArray[] got = DeviceComparison.deviceValues(outputs, feeds, plan);
        for (int i = 0; i < want.size(); i++) {
            assertClose(want.get(i), got[i], FP32, what + ", output " + i + " on the device");
        }
    }

    /** Every element within {@code relative} of the largest |want|. */
    static void assertClose(NDArray want, NDArray got, double relative, String what) {
        double scale = 1e-300;
        for (double v : want.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.data()[i], got.data()[i], relative * scale, what + " element " + i);
        }
    }
}
