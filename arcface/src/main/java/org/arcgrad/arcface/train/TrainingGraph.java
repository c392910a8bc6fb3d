package org.arcgrad.arcface.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.optim.StepScalars;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * One training step as one graph: forward (backbone, margin head, mean cross-entropy), the
 * symbolic backward pass, and the optimizer's update of every parameter, plus the new batch-norm
 * running statistics. Its outputs are the loss and the new value of every PARAM; compiled once,
 * it runs the whole step on the device ({@link TrainingStep}).
 */
public final class TrainingGraph {
    private final Tape tape = new Tape();
    private final Tensor x;
    private final Tensor labels;
    private final Tensor loss;
    private final StepScalars scalars;
    private final List<Pass.DropoutMask> masks;
    private final List<ParameterSpec> specs = new ArrayList<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> updates = new LinkedHashMap<>();

    public TrainingGraph(Network network, Optimizer optimizer, int batch) {
        x = tape.input("x", batch, network.inputs());
        labels = tape.labels("labels", batch);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor embedding = network.backbone().forward(x, pass);
        Tensor w = pass.param(network.headWeight());
        loss = Functional.crossEntropy(network.head().logits(embedding, w, labels), labels);

        List<ParameterSpec> trained = new ArrayList<>();
        for (ParameterSpec s : pass.specs()) {
            specs.add(s);
            params.put(s.name(), pass.node(s.name()));
            if (s.trainable()) {
                trained.add(s);
            }
        }
        Tensor[] grads = tape.grad(loss, trained.stream().map(s -> params.get(s.name())).toArray(Tensor[]::new));
        scalars = new StepScalars(tape);
        for (int i = 0; i < trained.size(); i++) {
            ParameterSpec p = trained.get(i);
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (ParameterSpec s : optimizer.state(p)) {
                specs.add(s);
                Tensor node = tape.param(s.name(), s.shape());
                params.put(s.name(), node);
                state.put(s.name(), node);
            }
            updates.putAll(optimizer.update(p, params.get(p.name()), grads[i], state, scalars));
        }
        updates.putAll(pass.stateUpdates());
        masks = pass.dropoutMasks();
    }

    public Tape tape() {
        return tape;
    }

    public Tensor x() {
        return x;
    }

    public Tensor labels() {
        return labels;
    }

    public Tensor loss() {
        return loss;
    }

    public StepScalars scalars() {
        return scalars;
    }

    public List<Pass.DropoutMask> dropoutMasks() {
        return masks;
    }

    /** Every tensor kept between steps (model, head, optimizer state), in a fixed order. */
    public List<ParameterSpec> specs() {
        return Collections.unmodifiableList(specs);
    }

    /** The PARAM node of each kept tensor, by name. */
    public Map<String, Tensor> params() {
        return Collections.unmodifiableMap(params);
    }

    /** The value each kept tensor takes after the step, by name. */
    public Map<String, Tensor> updates() {
        return Collections.unmodifiableMap(updates);
    }

    /** The graph's outputs: the loss first, then the new values in {@link #updates()} order. */
    public Tensor[] outputs() {
        List<Tensor> out = new ArrayList<>();
        out.add(loss);
        out.addAll(updates.values());
        return out.toArray(Tensor[]::new);
    }
}
