package org.arcgrad.arcface.eval;

/**
 * K-fold cross-validated verification accuracy over scored pairs, as insightface's
 * {@code calculate_roc} with {@code KFold(n_splits=K, shuffle=False)}: the folds are the K
 * contiguous, equal blocks of the pair list; for each fold the threshold is chosen by
 * {@link ThresholdSearch} on the other K − 1 folds and the accuracy is measured on the held-out
 * fold. The summary is the mean and the population standard deviation (ddof = 0, as
 * {@code np.std(accuracy)} in insightface's {@code verification.py}) of the K fold accuracies.
 *
 * @param foldAccuracies accuracy on each held-out fold
 * @param foldThresholds the threshold chosen for each fold (on the other folds)
 */
public record CrossValidation(double[] foldAccuracies, double[] foldThresholds) {
    public CrossValidation {
        foldAccuracies = foldAccuracies.clone();
        foldThresholds = foldThresholds.clone();
    }

    /**
     * Cross-validates pairs given in fold order: fold k is positions [k·n/K, (k+1)·n/K).
     *
     * @param scores similarity of each pair (higher = more alike)
     * @param same   whether each pair is same-class
     * @param folds  K, which must divide the number of pairs
     */
    public static CrossValidation of(double[] scores, boolean[] same, int folds) {
        int n = scores.length;
        if (same.length != n) {
            throw new IllegalArgumentException("cross-validation: " + n + " scores but " + same.length + " labels");
        }
        if (folds < 2 || n % folds != 0) {
            throw new IllegalArgumentException("cross-validation: " + folds + " folds must be ≥ 2 and divide the "
                    + n + " pairs into equal blocks");
        }
        int foldSize = n / folds;
        double[] accuracies = new double[folds];
        double[] thresholds = new double[folds];
        double[] trainScores = new double[n - foldSize];
        boolean[] trainSame = new boolean[n - foldSize];
        for (int k = 0; k < folds; k++) {
            int from = k * foldSize;
            int to = from + foldSize;
            System.arraycopy(scores, 0, trainScores, 0, from);
            System.arraycopy(scores, to, trainScores, from, n - to);
            System.arraycopy(same, 0, trainSame, 0, from);
            System.arraycopy(same, to, trainSame, from, n - to);
            thresholds[k] = ThresholdSearch.best(trainScores, trainSame).threshold();
            accuracies[k] = ThresholdSearch.accuracy(thresholds[k], scores, same, from, to);
        }
        return new CrossValidation(accuracies, thresholds);
    }

    @Override
    public double[] foldAccuracies() {
        return foldAccuracies.clone();
    }

    @Override
    public double[] foldThresholds() {
        return foldThresholds.clone();
    }

    public int folds() {
        return foldAccuracies.length;
    }

    /** Mean of the fold accuracies. */
    public double meanAccuracy() {
        return Stats.mean(foldAccuracies);
    }

    /** Population standard deviation (ddof = 0) of the fold accuracies, as insightface reports it. */
    public double stdAccuracy() {
        return Stats.populationStd(foldAccuracies);
    }

    /** Mean of the chosen thresholds. */
    public double meanThreshold() {
        return Stats.mean(foldThresholds);
    }
}
