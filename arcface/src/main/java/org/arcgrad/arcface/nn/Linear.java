package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tensor;

/** x·Wᵀ + b with W [out, in] and b [out] (torch.nn.Linear's layout and names: NAME.weight, NAME.bias). */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final ParameterSpec weight;
    private final ParameterSpec bias;

    /** @param bias null for no bias */
    public Linear(String name, int in, int out, Initializer weightInit, Initializer bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": features must be ≥ 1, got " + in + " → " + out);
        }
        this.in = in;
        this.out = out;
        this.weight = ParameterSpec.trained(name + ".weight", weightInit, out, in);
        this.bias = bias == null ? null : ParameterSpec.trained(name + ".bias", bias, out);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Tensor y = Functional.linear(x, pass.param(weight));
        return bias == null ? y : y.add(pass.param(bias));
    }

    @Override
    public int outFeatures(int features) {
        if (features != in) {
            throw new IllegalArgumentException(describe() + " gets " + features + " features");
        }
        return out;
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> p = new ArrayList<>(List.of(weight));
        if (bias != null) {
            p.add(bias);
        }
        return p;
    }

    public ParameterSpec weight() {
        return weight;
    }

    @Override
    public String describe() {
        return "Linear(" + in + " → " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
