package org.arcgrad.arcface.nn;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * Batch normalization over the batch axis of x [N, C], as torch.nn.BatchNorm1d, or for images
 * ({@link #forImages}) over the batch and both spatial axes of x [N, C, H, W], per channel, as
 * torch.nn.BatchNorm2d: in training mode y = (x − mean) / sqrt(var + eps) · γ + β with the batch's
 * mean and biased variance over the m values of each feature (m = N, or N·H·W), and the running
 * statistics move by {@code momentum} towards the batch mean and the unbiased variance
 * (var · m/(m − 1)); in inference mode the running statistics take the batch's place. Gradients
 * flow through the batch statistics. Names: NAME.weight (γ), NAME.bias (β), NAME.running_mean,
 * NAME.running_var.
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
    /** Whether x is [N, C, H, W] with statistics per channel over N, H and W (BatchNorm2d). */
    private final boolean images;

    public BatchNorm(String name, int features) {
        this(name, features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm(String name, int features, double eps, double momentum) {
        this(name, features, eps, momentum, false);
    }

    /** torch.nn.BatchNorm2d(channels) with its defaults (eps 1e-5, momentum 0.1). */
    public static BatchNorm forImages(String name, int channels) {
        return new BatchNorm(name, channels, DEFAULT_EPS, DEFAULT_MOMENTUM, true);
    }

    private BatchNorm(String name, int features, double eps, double momentum, boolean images) {
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
        this.images = images;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        int rank = images ? 4 : 2;
        if (x.shape().rank() != rank || x.shape().dim(1) != features) {
            throw new IllegalArgumentException(describe() + " takes " + (images ? "[N, " + features + ", H, W]" : "[N, " + features + "]")
                    + ", got " + x.shape());
        }
        Tensor normalized;
        if (pass.training()) {
            long m = x.shape().numel() / features;
            if (m < 2) {
                throw new IllegalArgumentException("batch norm in training mode needs 2 or more values of each feature, got " + m);
            }
            Tensor mean = perFeatureMean(x);
            Tensor centered = x.sub(mean);
            // The variance reads the mean detached: the same value, and the same gradient, since var's
            // derivative in the mean, −2·mean(x − mean), is 0. Through the mean, backward would sum
            // (x − mean) · ∂var over the whole batch once more, after ∂var: a second pass over
            // [N, C, H, W] per layer that the sibling sums cannot share (6-8 ms each on a 16-channel
            // layer of the small ResNet), to add what is 0 up to rounding.
            Tensor var = perFeatureMean(x.sub(mean.detach()).square());
            normalized = centered.mul(var.add(eps).pow(-0.5));
            Tensor batchMean = mean.reshape(features).detach();
            Tensor unbiasedVar = var.reshape(features).detach().scale(m / (m - 1.0));
            pass.updateState(runningMean, pass.param(runningMean).scale(1 - momentum).add(batchMean.scale(momentum)));
            pass.updateState(runningVar, pass.param(runningVar).scale(1 - momentum).add(unbiasedVar.scale(momentum)));
        } else {
            normalized = x.sub(perFeature(pass.param(runningMean))).mul(perFeature(pass.param(runningVar)).add(eps).pow(-0.5));
        }
        return normalized.mul(perFeature(pass.param(gamma))).add(perFeature(pass.param(beta)));
    }

    /**
     * The mean of each feature over the batch (and, for images, both spatial axes), kept as [1, C] or
     * [1, C, 1, 1]. An image's planes are summed as rows of H·W contiguous values, then over the
     * batch: summed a row of W at a time, 7×7 planes read 7 values per work-item (a 64-channel
     * layer's first sum took 2.4 ms for 3 MB on 2 PoCL cores), and a third kernel summed H.
     */
    private Tensor perFeatureMean(Tensor x) {
        if (!images) {
            return x.mean(0, true);
        }
        int n = x.shape().dim(0);
        int plane = x.shape().dim(2) * x.shape().dim(3);
        return x.reshape(n, features, plane).mean(2, true).mean(0, true).reshape(1, features, 1, 1);
    }

    /** A [C] parameter shaped to broadcast along the feature axis: [C] itself, or [1, C, 1, 1] for images. */
    private Tensor perFeature(Tensor v) {
        return images ? v.reshape(1, features, 1, 1) : v;
    }

    @Override
    public int outFeatures(int in) {
        if (images ? in % features != 0 : in != features) {
            throw new IllegalArgumentException(describe() + " gets " + in + " features");
        }
        return in; // for images: C·H·W, unchanged
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(gamma, beta, runningMean, runningVar);
    }

    @Override
    public String describe() {
        return (images ? "BatchNorm2d(" : "BatchNorm(") + features + ")";
    }
}
