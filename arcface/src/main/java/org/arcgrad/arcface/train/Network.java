package org.arcgrad.arcface.train;

import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.Layer;
import org.arcgrad.arcface.nn.ParameterSpec;

/**
 * The model being trained: a backbone from inputs to embeddings and a margin head over the
 * classes, whose class weights W [classes · rowsPerClass, embedding] (head.weight) start
 * Xavier-uniform as in the seed's ArcMarginProduct.
 */
public record Network(Layer backbone, int inputs, MarginHead head, int classes, int rowsPerClass) {
    public static final String HEAD_WEIGHT = "head.weight";

    public Network {
        if (inputs < 1 || classes < 2 || rowsPerClass < 1) {
            throw new IllegalArgumentException("a network needs ≥ 1 input, ≥ 2 classes and ≥ 1 row per class");
        }
    }

    public int embedding() {
        return backbone.outFeatures(inputs);
    }

    public ParameterSpec headWeight() {
        return ParameterSpec.trained(HEAD_WEIGHT, Init.xavierUniform(1), classes * rowsPerClass, embedding());
    }
}
