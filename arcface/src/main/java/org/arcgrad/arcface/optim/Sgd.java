package org.arcgrad.arcface.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Tensor;

/**
 * SGD with momentum, Nesterov and weight decay, exactly as torch.optim.SGD (dampening 0):
 *
 * <pre>
 * g   = grad + weight_decay · p
 * buf = μ · buf + g                      (buf starts at 0, so the first step gives buf = g, as torch)
 * d   = nesterov ? g + μ · buf : buf
 * p   = p − lr · d
 * </pre>
 *
 * μ is a step input: it is the configured momentum unless the schedule cycles it (one-cycle does,
 * as torch's OneCycleLR). With momentum 0 there is no buffer and p = p − lr · g.
 */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    public Sgd(double momentum, boolean nesterov, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1) and weight decay ≥ 0");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs a momentum > 0 (as torch)");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<ParameterSpec> state(ParameterSpec param) {
        return momentum == 0 ? List.of()
                : List.of(ParameterSpec.state(param.name() + ".momentum_buffer", Init.zeros(), param.shape()));
    }

    @Override
    public Map<String, Tensor> update(ParameterSpec param, Tensor p, Tensor grad, Map<String, Tensor> state, StepScalars scalars) {
        Tensor lr = scalars.get(StepScalars.LR);
        Tensor g = weightDecay == 0 ? grad : grad.add(p.scale(weightDecay));
        Map<String, Tensor> next = new LinkedHashMap<>();
        if (momentum == 0) {
            next.put(param.name(), p.sub(lr.mul(g)));
            return next;
        }
        String bufName = param.name() + ".momentum_buffer";
        Tensor mu = scalars.get(StepScalars.MOMENTUM);
        Tensor buf = mu.mul(state.get(bufName)).add(g);
        Tensor d = nesterov ? g.add(mu.mul(buf)) : buf;
        next.put(param.name(), p.sub(lr.mul(d)));
        next.put(bufName, buf);
        return next;
    }

    @Override
    public Map<String, Double> scalarValues(Hyper h) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(StepScalars.LR, h.lr());
        if (momentum != 0) {
            v.put(StepScalars.MOMENTUM, h.cyclesMomentum() ? h.momentum() : momentum);
        }
        return v;
    }

    @Override
    public String describe() {
        return "sgd(momentum=" + momentum + (nesterov ? ", nesterov" : "") + ", weight_decay=" + weightDecay + ")";
    }
}
