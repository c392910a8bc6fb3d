package org.arcgrad.arcface.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * Runs an optimizer's recorded update on the fp64 interpreter for given gradients, step after
 * step, carrying the parameter and its state as a trainer does: the update rule alone, checked
 * against torch's numbers.
 */
final class UpdateSteps {
    private UpdateSteps() {
    }

    /** The parameter after each step. */
    static double[][] run(Optimizer optimizer, double[] p0, double[][] grads, Schedule schedule) {
        Tape tape = new Tape();
        ParameterSpec spec = ParameterSpec.trained("p", Init.zeros(), p0.length);
        Tensor p = tape.param("p", p0.length);
        Tensor g = tape.input("g", p0.length);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (ParameterSpec s : optimizer.state(spec)) {
            state.put(s.name(), tape.param(s.name(), s.shape()));
        }
        StepScalars scalars = new StepScalars(tape);
        Map<String, Tensor> next = optimizer.update(spec, p, g, state, scalars);
        List<String> names = List.copyOf(next.keySet());
        Tensor[] outputs = next.values().toArray(Tensor[]::new);

        Map<String, NDArray> values = new HashMap<>();
        values.put("p", NDArray.of(Shape.of(p0.length), p0.clone()));
        for (String s : state.keySet()) {
            values.put(s, NDArray.zeros(Shape.of(p0.length)));
        }
        double[][] out = new double[grads.length][];
        for (int t = 0; t < grads.length; t++) {
            Map<Tensor, NDArray> feeds = new HashMap<>();
            feeds.put(p, values.get("p"));
            feeds.put(g, NDArray.of(Shape.of(p0.length), grads[t].clone()));
            state.forEach((name, node) -> feeds.put(node, values.get(name)));
            Map<String, Double> hyper = optimizer.scalarValues(schedule.at(t));
            scalars.inputs().forEach((name, node) -> feeds.put(node, NDArray.scalar(hyper.get(name))));
            NDArray[] r = Interpreter.run(feeds, outputs);
            for (int k = 0; k < names.size(); k++) {
                values.put(names.get(k), r[k]);
            }
            out[t] = values.get("p").data().clone();
        }
        return out;
    }
}
