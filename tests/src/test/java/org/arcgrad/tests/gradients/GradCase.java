package org.arcgrad.tests.gradients;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.tests.property.Gens;

/**
 * One gradient-check instance: a function of differentiable inputs (built on a fresh tape, as
 * {@link GradCheck} wants it), their values, the values of non-differentiated inputs the function
 * creates by name (labels, masks), and the seed of the random cotangent. It prints as what a person
 * needs to rebuild it by hand: the label and every value.
 */
public record GradCase(String label, GradCheck.Fn fn, List<NDArray> inputs, Map<String, NDArray> fixed, long seed) {
    public static GradCase of(String label, long seed, GradCheck.Fn fn, NDArray... inputs) {
        return new GradCase(label, fn, List.of(inputs), Map.of(), seed);
    }

    /** This case with one more named, non-differentiated input. */
    public GradCase withFixed(String name, NDArray value) {
        Map<String, NDArray> f = new LinkedHashMap<>(fixed);
        f.put(name, value);
        return new GradCase(label, fn, inputs, f, seed);
    }

    /** The GradCheck of this case with the given rules, its cotangent seed and fixed inputs. */
    public GradCheck gradCheck(GradientTable rules) {
        GradCheck c = GradCheck.of(fn).rules(rules).seed(seed);
        for (Map.Entry<String, NDArray> e : fixed.entrySet()) {
            c = c.fixed(e.getKey(), e.getValue());
        }
        return c;
    }

    public int elements() {
        int n = 0;
        for (NDArray a : inputs) {
            n += a.size();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(label);
        for (int i = 0; i < inputs.size(); i++) {
            b.append("\n  arg").append(i).append(" = ").append(Gens.describe(inputs.get(i)));
        }
        for (Map.Entry<String, NDArray> e : fixed.entrySet()) {
            b.append("\n  ").append(e.getKey()).append(" = ").append(Gens.describe(e.getValue()));
        }
        return b.append("\n  cotangent seed ").append(seed).toString();
    }
}
