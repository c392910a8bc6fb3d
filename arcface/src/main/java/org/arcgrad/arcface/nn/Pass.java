package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * One forward pass of a model recorded on one tape, in one {@link Mode}. Layers ask it for their
 * parameters (one PARAM node per name, created on first use), report new values of their state
 * (batch-norm running statistics in training mode) and ask for dropout masks (INPUT nodes the
 * host fills each step). The same model recorded on two tapes (training and inference) uses the
 * same names, so the inference graph can read the training graph's device buffers by name.
 */
public final class Pass {
    private final Tape tape;
    private final Mode mode;
    private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> stateUpdates = new LinkedHashMap<>();
    private final List<DropoutMask> masks = new ArrayList<>();
    private final List<Tensor> normals = new ArrayList<>();

    /** A dropout mask input: its INPUT node and the drop probability it is drawn with. */
    public record DropoutMask(Tensor input, double p) {
    }

    public Pass(Tape tape, Mode mode) {
        this.tape = tape;
        this.mode = mode;
    }

    public Tape tape() {
        return tape;
    }

    public Mode mode() {
        return mode;
    }

    public boolean training() {
        return mode == Mode.TRAIN;
    }

    /**
     * The node of {@code spec} on this tape: a PARAM created on first use (the same node for every
     * call with the same name), or the tensor given to {@link #use} for that name.
     */
    public Tensor param(ParameterSpec spec) {
        ParameterSpec known = specs.get(spec.name());
        if (known != null && !known.equals(spec)) {
            throw new IllegalArgumentException("parameter " + spec.name() + " declared twice: " + known + " and " + spec);
        }
        if (known == null) {
            specs.put(spec.name(), spec);
            params.computeIfAbsent(spec.name(), n -> tape.param(n, spec.shape()));
        }
        Tensor t = params.get(spec.name());
        if (!t.shape().equals(org.arcgrad.autodiff.Shape.of(spec.shape()))) {
            throw new IllegalArgumentException("parameter " + spec.name() + " has shape " + java.util.Arrays.toString(spec.shape())
                    + ", the tensor used for it " + t.shape());
        }
        return t;
    }

    /**
     * Makes the layers read {@code value} as the parameter named {@code name} instead of a new
     * PARAM: a layer on computed tensors, or on the arguments of a gradient check.
     */
    public Pass use(String name, Tensor value) {
        if (params.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " is already in use in this pass");
        }
        params.put(name, value);
        return this;
    }

    /** Records that state {@code spec} takes {@code newValue} after the step (training mode only). */
    public void updateState(ParameterSpec spec, Tensor newValue) {
        if (spec.trainable()) {
            throw new IllegalArgumentException(spec.name() + " is trained by the optimizer, not updated as state");
        }
        if (!newValue.shape().equals(param(spec).shape())) {
            throw new IllegalArgumentException(spec.name() + ": new value has shape " + newValue.shape());
        }
        if (stateUpdates.put(spec.name(), newValue) != null) {
            throw new IllegalArgumentException(spec.name() + ": state updated twice in one pass");
        }
    }

    /** A dropout mask input named {@code name} of {@code shape}: 0 or 1/(1 − p) per element. */
    public Tensor dropoutMask(String name, double p, int... shape) {
        Tensor mask = tape.input(name, shape);
        masks.add(new DropoutMask(mask, p));
        return mask;
    }

    /**
     * An input named {@code name} of {@code shape} holding standard normal draws, which the
     * training step fills anew each step from (seed, step, name) ({@link DropoutMasks#normal}):
     * a head's random margins (ElasticFace), reproducible on resume like dropout.
     */
    public Tensor normalDraws(String name, int... shape) {
        Tensor draws = tape.input(name, shape);
        normals.add(draws);
        return draws;
    }

    /** The inputs {@link #normalDraws} made, in order. */
    public List<Tensor> normalDraws() {
        return Collections.unmodifiableList(normals);
    }

    /** Every parameter used, trained and state, in first-use order. */
    public List<ParameterSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** The PARAM node of a parameter used in this pass, by name. */
    public Tensor node(String name) {
        Tensor t = params.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name + " in this pass");
        }
        return t;
    }

    /** New values of state parameters, by name. */
    public Map<String, Tensor> stateUpdates() {
        return Collections.unmodifiableMap(stateUpdates);
    }

    public List<DropoutMask> dropoutMasks() {
        return Collections.unmodifiableList(masks);
    }
}
