package org.arcgrad.arcface.eval;

/**
 * Verification accuracy of test embeddings by the LFW protocol ("are these two samples the same
 * class?"), as insightface measures it, on pairs drawn from a labelled test set:
 *
 * <ol>
 *   <li>{@link VerificationPairs#draw Draw} the pairs with the protocol's seed: by default 6 000,
 *       3 000 same-class and 3 000 different-class, no sample paired with itself, no pair twice,
 *       each drawn uniformly among the pairs of its kind.</li>
 *   <li>Lay them in 10 folds of 600 (300 same-class, then 300 different-class), as LFW's
 *       {@code pairs.txt}.</li>
 *   <li>Score each pair by the cosine of its two embeddings (L2-normalized in fp64). insightface
 *       thresholds the squared distance ‖a − b‖² = 2 − 2·cos of unit vectors; that is the same
 *       ordering, so thresholds correspond one to one (cos t ⇔ distance 2 − 2t).</li>
 *   <li>For each fold, choose the threshold on the other 9 folds by {@link ThresholdSearch}
 *       (exact search, maximum accuracy, ties to the middle of the widest maximizing gap; a pair
 *       is predicted same-class when its cosine is strictly above the threshold) and measure the
 *       accuracy on the held-out fold ({@link CrossValidation}).</li>
 *   <li>Report the mean and the population standard deviation (ddof = 0, numpy's default
 *       {@code np.std}, as insightface's {@code verification.py} prints "acc ± std") of the 10 fold
 *       accuracies, the mean of the 10 thresholds, the cosines of both kinds of pairs, and
 *       {@link TarAtFar TAR at FAR} = 1e-3 over all pairs.</li>
 * </ol>
 *
 * <pre>{@code
 * VerificationResult v = Verification.evaluate(Embeddings.of(testX, 128, testY), VerificationProtocol.lfw(42));
 * System.out.println(v); // verification accuracy 0.9530 ± 0.0081 (10 folds, 6000 pairs), threshold 0.312 ...
 * }</pre>
 */
public final class Verification {
    private Verification() {
    }

    public static VerificationResult evaluate(Embeddings test, VerificationProtocol protocol) {
        VerificationPairs pairs = VerificationPairs.draw(test.labels(), protocol);
        return evaluate(test.unitRows(), pairs);
    }

    /** With pairs drawn already (e.g. the same pairs every epoch, so epochs compare on equal terms). */
    public static VerificationResult evaluate(UnitRows rows, VerificationPairs pairs) {
        double[] cosines = pairs.cosines(rows);
        boolean[] same = pairs.sameFlags();
        CrossValidation cv = CrossValidation.of(cosines, same, pairs.protocol().folds());
        int half = pairs.size() / 2;
        double[] positive = new double[half];
        double[] negative = new double[half];
        for (int p = 0, i = 0, j = 0; p < pairs.size(); p++) {
            if (same[p]) {
                positive[i++] = cosines[p];
            } else {
                negative[j++] = cosines[p];
            }
        }
        TarAtFar tar = TarAtFar.of(positive, negative, pairs.protocol().farTarget());
        return new VerificationResult(pairs.protocol(), cv, positive, negative, tar);
    }
}
