package org.arcgrad.arcface.eval;

import java.util.Arrays;

/**
 * Closed-set identification accuracy by nearest class center: each test embedding is assigned the
 * class whose {@link ClassCenters center} (built from the training embeddings) has the largest
 * cosine with it; accuracy is the fraction assigned their true class. "Closed set": every test
 * class must have training samples, otherwise it could never be predicted and the number would
 * mix two questions, so such a test set is refused.
 *
 * <pre>{@code
 * ClosedSetResult r = ClosedSetAccuracy.evaluate(Embeddings.of(trainX, 128, trainY),
 *                                                Embeddings.of(testX, 128, testY));
 * r.accuracy();              // e.g. 0.91
 * r.classAccuracy(3);        // accuracy on the test samples of class 3
 * }</pre>
 */
public final class ClosedSetAccuracy {
    private ClosedSetAccuracy() {
    }

    public static ClosedSetResult evaluate(Embeddings train, Embeddings test) {
        if (train.dim() != test.dim()) {
            throw new IllegalArgumentException("closed-set accuracy: train embeddings have size " + train.dim()
                    + ", test embeddings " + test.dim());
        }
        if (test.count() == 0) {
            throw new IllegalArgumentException("closed-set accuracy: the test set is empty");
        }
        return evaluate(ClassCenters.of(train), test, train.count());
    }

    /** With centers already built (e.g. once per epoch, shared by several test sets). */
    public static ClosedSetResult evaluate(ClassCenters centers, Embeddings test) {
        return evaluate(centers, test, -1);
    }

    private static ClosedSetResult evaluate(ClassCenters centers, Embeddings test, int trainCount) {
        if (centers.dim() != test.dim()) {
            throw new IllegalArgumentException("closed-set accuracy: class centers have size " + centers.dim()
                    + ", test embeddings " + test.dim());
        }
        int[] testLabels = test.distinctLabels();
        for (int label : testLabels) {
            if (!centers.has(label)) {
                throw new IllegalArgumentException("closed-set accuracy: test class " + label
                        + " has no training samples, so it has no center to be recognized by");
            }
        }
        UnitRows rows = test.unitRows();
        int[] total = new int[testLabels.length];
        int[] correct = new int[testLabels.length];
        for (int i = 0; i < test.count(); i++) {
            int k = Arrays.binarySearch(testLabels, test.label(i));
            total[k]++;
            if (centers.nearest(rows, i) == test.label(i)) {
                correct[k]++;
            }
        }
        return new ClosedSetResult(testLabels, total, correct, trainCount, centers.labels().length);
    }
}
