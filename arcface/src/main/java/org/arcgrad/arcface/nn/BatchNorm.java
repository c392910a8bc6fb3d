package org.arcgrad.arcface.nn;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * Batch normalization over the batch axis of x [N, C], as torch.nn.BatchNorm1d: in training
 * mode y = (x − mean) / sqrt(var + eps) · γ + β with the batch's mean and biased variance, and
 * the running statistics move by {@code momentum} towards the batch mean and the unbiased
 * variance (var · N/(N − 1)); in inference mode the running statistics take the batch's place.
 * Gradients flow through the batch statistics. Names: NAME.weight (γ), NAME.bias (β),
 * NAME.running_mean, NAME.running_var.
 */
public final class BatchNorm implements Layer {
    public static final double DEFAULT_EPS = 1e-5;
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int features;
    private final double eps;
    private final double momentum;
    private final ParameterSpec gamma;
    private final ParameterSpec beta;
    private final ParameterSpec runningMean;
    private final ParameterSpec runningVar;

    public BatchNorm(String name, int features) {
        this(name, features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm(String name, int features, double eps, double momentum) {
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": eps must be > 0 and momentum in [0, 1]");
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = ParameterSpec.trained(name + ".weight", Init.ones(), features);
        this.beta = ParameterSpec.trained(name + ".bias", Init.zeros(), features);
        this.runningMean = ParameterSpec.state(name + ".running_mean", Init.zeros(), features);
        this.runningVar = ParameterSpec.state(name + ".running_var", Init.ones(), features);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Tensor normalized;
        if (pass.training()) {
            int n = x.shape().dim(0);
            if (n < 2) {
                throw new IllegalArgumentException("batch norm in training mode needs a batch of 2 or more, got " + n);
            }
            Tensor mean = x.mean(0, true);
            Tensor centered = x.sub(mean);
            Tensor var = centered.square().mean(0, true);
            normalized = centered.mul(var.add(eps).pow(-0.5));
            Tensor batchMean = mean.reshape(features).detach();
            Tensor unbiasedVar = var.reshape(features).detach().scale(n / (n - 1.0));
            pass.updateState(runningMean, pass.param(runningMean).scale(1 - momentum).add(batchMean.scale(momentum)));
            pass.updateState(runningVar, pass.param(runningVar).scale(1 - momentum).add(unbiasedVar.scale(momentum)));
        } else {
            normalized = x.sub(pass.param(runningMean)).mul(pass.param(runningVar).add(eps).pow(-0.5));
        }
        return normalized.mul(pass.param(gamma)).add(pass.param(beta));
    }

    @Override
    public int outFeatures(int in) {
        if (in != features) {
            throw new IllegalArgumentException(describe() + " gets " + in + " features");
        }
        return features;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    @Override
    public String describe() {
        return "BatchNorm(" + features + ")";
    }
}
