package org.arcgrad.arcface.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * The scalar inputs of a training step that change from step to step (learning rate, momentum,
 * Adam's bias corrections): INPUT nodes of shape [], created on first use by name. The host
 * uploads their values before each run (4 bytes each), which is what lets a schedule change them
 * without recompiling.
 */
public final class StepScalars {
    public static final String LR = "lr";
    public static final String MOMENTUM = "momentum";

    private final Tape tape;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();

    public StepScalars(Tape tape) {
        this.tape = tape;
    }

    public Tensor get(String name) {
        return inputs.computeIfAbsent(name, n -> tape.input(n));
    }

    public Map<String, Tensor> inputs() {
        return Collections.unmodifiableMap(inputs);
    }
}
