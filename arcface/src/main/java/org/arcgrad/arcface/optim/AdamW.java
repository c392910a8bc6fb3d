package org.arcgrad.arcface.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Tensor;

/**
 * AdamW (decoupled weight decay), exactly as torch.optim.AdamW (amsgrad off), at step t = 1, 2, ...:
 *
 * <pre>
 * p = p · (1 − lr · weight_decay)
 * m = β1 · m + (1 − β1) · g
 * v = β2 · v + (1 − β2) · g²
 * p = p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 * </pre>
 *
 * lr, β1 and the two bias-correction factors are step inputs computed on the host (β1 is cycled by
 * one-cycle, as torch's OneCycleLR cycles betas[0]). State: NAME.exp_avg, NAME.exp_avg_sq.
 */
public final class AdamW implements Optimizer {
    static final String BETA1 = "beta1";
    static final String STEP_SIZE = "adam_step_size";
    static final String INV_BC2_SQRT = "adam_inv_sqrt_bias_correction2";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    /** torch's defaults: β = (0.9, 0.999), eps = 1e-8, weight decay 0.01. */
    public AdamW() {
        this(0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("adamw: betas must be in [0, 1), eps > 0, weight decay ≥ 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public List<ParameterSpec> state(ParameterSpec param) {
        return List.of(ParameterSpec.state(param.name() + ".exp_avg", Init.zeros(), param.shape()),
                ParameterSpec.state(param.name() + ".exp_avg_sq", Init.zeros(), param.shape()));
    }

    @Override
    public Map<String, Tensor> update(ParameterSpec param, Tensor p, Tensor g, Map<String, Tensor> state, StepScalars scalars) {
        Tensor lr = scalars.get(StepScalars.LR);
        Tensor b1 = scalars.get(BETA1);
        Tensor m = state.get(param.name() + ".exp_avg");
        Tensor v = state.get(param.name() + ".exp_avg_sq");
        Tensor decayed = weightDecay == 0 ? p : p.mul(lr.scale(-weightDecay).add(1));
        Tensor mNew = b1.mul(m).add(b1.rsub(1).mul(g));
        Tensor vNew = v.scale(beta2).add(g.square().scale(1 - beta2));
        Tensor denom = vNew.sqrt().mul(scalars.get(INV_BC2_SQRT)).add(eps);
        Tensor pNew = decayed.sub(scalars.get(STEP_SIZE).mul(mNew).div(denom));
        Map<String, Tensor> next = new LinkedHashMap<>();
        next.put(param.name(), pNew);
        next.put(param.name() + ".exp_avg", mNew);
        next.put(param.name() + ".exp_avg_sq", vNew);
        return next;
    }

    @Override
    public Map<String, Double> scalarValues(Hyper h) {
        double b1 = h.cyclesMomentum() ? h.momentum() : beta1;
        long t = h.step() + 1;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(StepScalars.LR, h.lr());
        v.put(BETA1, b1);
        v.put(STEP_SIZE, h.lr() / (1 - Math.pow(b1, t)));
        v.put(INV_BC2_SQRT, 1 / Math.sqrt(1 - Math.pow(beta2, t)));
        return v;
    }

    @Override
    public String describe() {
        return "adamw(betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weight_decay=" + weightDecay + ")";
    }
}
