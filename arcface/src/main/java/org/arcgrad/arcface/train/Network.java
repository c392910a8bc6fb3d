package org.arcgrad.arcface.train;

import java.util.Optional;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.Layer;
import org.arcgrad.arcface.nn.ParameterSpec;

/**
 * The model being trained: a backbone from inputs to embeddings and what the embeddings are
 * trained against ({@link Objective}). A margin head brings class weights W [classes ·
 * rowsPerClass, embedding] (head.weight), which start Xavier-uniform as in the seed's
 * ArcMarginProduct; a pair loss brings none. {@code classes} is the number of labels the data has
 * either way.
 */
public record Network(Layer backbone, int inputs, Objective objective, int classes) {
    public static final String HEAD_WEIGHT = "head.weight";

    public Network {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("a network needs ≥ 1 input and ≥ 2 classes");
        }
    }

    /** A network trained with a margin head over {@code rowsPerClass} rows of W per class. */
    public Network(Layer backbone, int inputs, MarginHead head, int classes, int rowsPerClass) {
        this(backbone, inputs, new Objective.Head(head, rowsPerClass), classes);
    }

    public int embedding() {
        return backbone.outFeatures(inputs);
    }

    /** The margin head, or empty when a pair loss trains the embeddings. */
    public Optional<MarginHead> head() {
        return objective instanceof Objective.Head h ? Optional.of(h.head()) : Optional.empty();
    }

    /** Rows of W per class; 0 without a margin head (no W). */
    public int rowsPerClass() {
        return objective instanceof Objective.Head h ? h.rowsPerClass() : 0;
    }

    /** The head's class weights W, or empty when a pair loss trains the embeddings. */
    public Optional<ParameterSpec> headWeight() {
        return objective instanceof Objective.Head h
                ? Optional.of(ParameterSpec.trained(HEAD_WEIGHT, Init.xavierUniform(1), classes * h.rowsPerClass(), embedding()))
                : Optional.empty();
    }
}
