package org.arcgrad.arcface.nn;

import static org.arcgrad.autodiff.Functional.where;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * x where x &gt; 0, else a·x, with a learned slope a (torch.nn.PReLU: one slope shared by all
 * channels, or one per channel; initial value 0.25). Name: NAME.weight, shape [slopes].
 */
public final class PRelu implements Layer {
    public static final double DEFAULT_INIT = 0.25;

    private final int slopes;
    private final ParameterSpec weight;

    /** @param slopes 1 (shared) or the number of features (one per channel) */
    public PRelu(String name, int slopes) {
        if (slopes < 1) {
            throw new IllegalArgumentException(name + ": slopes must be ≥ 1");
        }
        this.slopes = slopes;
        this.weight = ParameterSpec.trained(name + ".weight", Init.constant(DEFAULT_INIT), slopes);
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Tensor a = pass.param(weight);
        return where(x.gt(0), x, x.mul(a));
    }

    @Override
    public int outFeatures(int in) {
        if (slopes != 1 && slopes != in) {
            throw new IllegalArgumentException(describe() + " gets " + in + " features");
        }
        return in;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight);
    }

    @Override
    public String describe() {
        return "PReLU(" + slopes + ")";
    }
}
