package org.arcgrad.arcface.data;

import java.util.Objects;

/** A training set and a test set over the same classes and features. */
public record TrainTestSplit<S extends Samples>(S train, S test) {
    public TrainTestSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.dim() != test.dim() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train and test differ: dim " + train.dim() + " vs " + test.dim()
                    + ", classes " + train.classes() + " vs " + test.classes());
        }
    }
}
