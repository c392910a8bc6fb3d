package org.arcgrad.arcface.nn;

import org.arcgrad.autodiff.Tensor;

/** [N, C·H·W] → [N, C, H, W]: flat pixels (as the data sets give them) into images for convolutions. */
public final class Unflatten implements Layer {
    private final ImageShape image;

    public Unflatten(ImageShape image) {
        this.image = image;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        return x.reshape(x.shape().dim(0), image.channels(), image.height(), image.width());
    }

    @Override
    public int outFeatures(int in) {
        image.requireFeatures(describe(), in);
        return in;
    }

    @Override
    public String describe() {
        return "Unflatten(" + image + ")";
    }
}
