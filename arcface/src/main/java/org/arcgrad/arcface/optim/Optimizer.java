package org.arcgrad.arcface.optim;

import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Tensor;

/**
 * An update rule recorded as graph ops, so it runs on the device inside the training step: for
 * each trained parameter it declares its state tensors (kept on the device like the parameters)
 * and records their new values from the parameter, its gradient and the step's scalar inputs.
 */
public interface Optimizer {
    /** State tensors kept for {@code param} (all start at zero), e.g. NAME.momentum_buffer. */
    List<ParameterSpec> state(ParameterSpec param);

    /**
     * Records one step for {@code param}: the new value of the parameter and of each of its
     * state tensors, by name.
     *
     * @param state the PARAM nodes of {@link #state}, by name
     */
    Map<String, Tensor> update(ParameterSpec param, Tensor value, Tensor grad, Map<String, Tensor> state, StepScalars scalars);

    /** Values of the scalar inputs this optimizer created, for one step. */
    Map<String, Double> scalarValues(Hyper hyper);

    /** One line for settings and summaries, e.g. "sgd(momentum=0.9, nesterov, weight_decay=5e-4)". */
    String describe();
}
