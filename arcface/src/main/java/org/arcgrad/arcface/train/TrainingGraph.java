package org.arcgrad.arcface.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.arcface.nn.Mode;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.optim.Optimizer;
import org.arcgrad.arcface.optim.StepScalars;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * One training step as one graph: forward (backbone, then the margin head's mean cross-entropy or
 * the pair loss: {@link Objective}), the symbolic backward pass, and the optimizer's update of
 * every parameter, plus the new batch-norm running statistics. Its outputs are the loss and the new value of every PARAM; compiled once,
 * it runs the whole step on the device ({@link TrainingStep}).
 *
 * <p>With Partial FC the step computes a sample of the classes: the head's W and its optimizer
 * state enter the graph as PARAMs of the sampled classes' rows only (K rows a class for a
 * sub-center head, contiguous in W's class-major order), and the labels are positions in the
 * sample. {@link #specs()} still names the kept tensors with all their rows (what a checkpoint
 * holds); {@link #sampled} says which of them the graph sees a sample of.
 */
public final class TrainingGraph {
    private final Tape tape = new Tape();
    private final Tensor x;
    private final Tensor labels;
    private final Tensor loss;
    private final StepScalars scalars;
    private final List<Pass.DropoutMask> masks;
    private final List<Tensor> normals;
    private final List<ParameterSpec> specs = new ArrayList<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> updates = new LinkedHashMap<>();
    private final Set<String> sampled = new HashSet<>();
    private final int sampledClasses;

    public TrainingGraph(Network network, Optimizer optimizer, int batch) {
        this(network, optimizer, batch, 0);
    }

    /**
     * @param sampledClasses the classes whose rows of the head's W a step computes (Partial FC), or 0 for all of them
     */
    public TrainingGraph(Network network, Optimizer optimizer, int batch, int sampledClasses) {
        ParameterSpec head = network.headWeight().orElse(null); // null: a pair loss, no class weights
        if (head == null && sampledClasses != 0) {
            throw new IllegalArgumentException("Partial FC samples a head's class weights, and a pair loss has none");
        }
        if (sampledClasses < 0 || head != null && sampledClasses > network.classes()) {
            throw new IllegalArgumentException("sampled classes must be in [0, " + network.classes() + "], got " + sampledClasses);
        }
        this.sampledClasses = sampledClasses;
        x = tape.input("x", batch, network.inputs());
        labels = tape.labels("labels", batch);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor embedding = network.backbone().forward(x, pass);
        ParameterSpec headInGraph = head == null || sampledClasses == 0 ? head
                : withRows(head, sampledClasses * network.rowsPerClass());
        if (network.objective() instanceof Objective.Head h) {
            Tensor w = pass.param(headInGraph);
            loss = h.head().loss(h.head().logits(embedding, w, labels, pass), embedding, labels);
        } else {
            loss = ((Objective.Pairs) network.objective()).loss().loss(embedding, labels);
        }

        List<ParameterSpec> trained = new ArrayList<>();
        for (ParameterSpec s : pass.specs()) {
            specs.add(s == headInGraph ? head : s);
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
            List<ParameterSpec> kept = optimizer.state(p == headInGraph ? head : p);
            List<ParameterSpec> inGraph = optimizer.state(p);
            for (int k = 0; k < kept.size(); k++) {
                ParameterSpec s = inGraph.get(k);
                specs.add(kept.get(k));
                if (p == headInGraph && sampledClasses > 0) {
                    sampled.add(s.name());
                }
                Tensor node = tape.param(s.name(), s.shape());
                params.put(s.name(), node);
                state.put(s.name(), node);
            }
            updates.putAll(optimizer.update(p, params.get(p.name()), grads[i], state, scalars));
        }
        updates.putAll(pass.stateUpdates());
        masks = pass.dropoutMasks();
        normals = pass.normalDraws();
        if (sampledClasses > 0) {
            sampled.add(head.name());
        }
    }

    private static ParameterSpec withRows(ParameterSpec spec, int rows) {
        int[] shape = spec.shape();
        shape[0] = rows;
        return new ParameterSpec(spec.name(), shape, spec.trainable(), spec.init());
    }

    /** Classes whose rows of the head's W a step computes (Partial FC), or 0 when it computes all. */
    public int sampledClasses() {
        return sampledClasses;
    }

    /** Whether the graph's PARAM for kept tensor {@code name} holds only the sampled classes' rows (Partial FC). */
    public boolean sampled(String name) {
        return sampled.contains(name);
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

    /** Inputs of standard normal draws the step fills anew each step ({@link Pass#normalDraws}). */
    public List<Tensor> normalDraws() {
        return normals;
    }

    public List<Pass.DropoutMask> dropoutMasks() {
        return masks;
    }

    /** Every tensor kept between steps (model, head, optimizer state), in a fixed order, with all its rows. */
    public List<ParameterSpec> specs() {
        return Collections.unmodifiableList(specs);
    }

    /** The PARAM node of each kept tensor, by name (of the sampled rows, for {@link #sampled} ones). */
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
