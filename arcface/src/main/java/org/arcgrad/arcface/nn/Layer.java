package org.arcgrad.arcface.nn;

import java.util.List;
import org.arcgrad.autodiff.Tensor;

/** A piece of a model: maps x [N, in] to [N, out], reading its parameters through the {@link Pass}. */
public interface Layer {
    Tensor forward(Tensor x, Pass pass);

    /** Features out for {@code in} features in; by default as many as in (activations, dropout). */
    default int outFeatures(int in) {
        return in;
    }

    /** The parameters it owns, trained and state; by default none. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /** One line for summaries, e.g. "Linear(784 → 512)". */
    String describe();
}
