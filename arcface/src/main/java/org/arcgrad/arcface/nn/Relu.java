package org.arcgrad.arcface.nn;

import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tensor;

/** max(x, 0); the gradient at 0 is 0, as torch's. */
public final class Relu implements Layer {
    @Override
    public Tensor forward(Tensor x, Pass pass) {
        return Functional.relu(x);
    }

    @Override
    public String describe() {
        return "ReLU";
    }
}
