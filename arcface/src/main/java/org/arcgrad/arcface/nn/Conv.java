package org.arcgrad.arcface.nn;

import java.util.List;
import org.arcgrad.autodiff.Conv2d;
import org.arcgrad.autodiff.Tensor;

/**
 * A square convolution without bias, as torch.nn.Conv2d(in, out, kernel, stride, padding,
 * bias=False): weights NAME.weight [out, in, k, k], Kaiming-normal (fan in, ReLU gain) at start.
 * It is built for one input image shape, so that it can say its output features.
 */
public final class Conv implements Layer {
    private final ImageShape in;
    private final int out;
    private final int kernel;
    private final Conv2d geometry;
    private final ParameterSpec weight;

    public Conv(String name, ImageShape in, int out, int kernel, int stride, int padding) {
        if (out < 1 || kernel < 1) {
            throw new IllegalArgumentException(name + ": a convolution has ≥ 1 output channel and a kernel of ≥ 1, got " + out
                    + " and " + kernel);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.geometry = Conv2d.of(stride, padding, 1, 1);
        if (geometry.outputHeight(in.height(), kernel) < 1 || geometry.outputWidth(in.width(), kernel) < 1) {
            throw new IllegalArgumentException(name + ": a " + kernel + "×" + kernel + " kernel with " + geometry + " leaves no output of "
                    + in);
        }
        this.weight = ParameterSpec.trained(name + ".weight", Init.kaimingNormal(Init.RELU_GAIN), out, in.channels(), kernel, kernel);
    }

    /** The shape of the images it makes. */
    public ImageShape output() {
        return new ImageShape(out, geometry.outputHeight(in.height(), kernel), geometry.outputWidth(in.width(), kernel));
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        return x.conv2d(pass.param(weight), geometry);
    }

    @Override
    public int outFeatures(int features) {
        in.requireFeatures(describe(), features);
        return output().features();
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight);
    }

    @Override
    public String describe() {
        return "Conv(" + in.channels() + " → " + out + ", " + kernel + "×" + kernel + ", stride " + geometry.strideH() + ", padding "
                + geometry.padH() + ")";
    }
}
