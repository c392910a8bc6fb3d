package org.arcgrad.arcface.eval;

/** Outcome of {@link Verification}: cross-validated accuracy, thresholds, pair cosines, TAR@FAR. */
public final class VerificationResult {
    private final VerificationProtocol protocol;
    private final CrossValidation crossValidation;
    private final double[] positiveCosines;
    private final double[] negativeCosines;
    private final TarAtFar tarAtFar;

    VerificationResult(VerificationProtocol protocol, CrossValidation crossValidation,
                       double[] positiveCosines, double[] negativeCosines, TarAtFar tarAtFar) {
        this.protocol = protocol;
        this.crossValidation = crossValidation;
        this.positiveCosines = positiveCosines;
        this.negativeCosines = negativeCosines;
        this.tarAtFar = tarAtFar;
    }

    public VerificationProtocol protocol() {
        return protocol;
    }

    /** Mean held-out accuracy over the folds. */
    public double accuracy() {
        return crossValidation.meanAccuracy();
    }

    /** Population standard deviation (ddof = 0) of the fold accuracies. */
    public double std() {
        return crossValidation.stdAccuracy();
    }

    /** Mean of the per-fold best thresholds (cosine). */
    public double threshold() {
        return crossValidation.meanThreshold();
    }

    public CrossValidation crossValidation() {
        return crossValidation;
    }

    /** Cosines of the same-class pairs (a copy), in pair order. */
    public double[] positiveCosines() {
        return positiveCosines.clone();
    }

    /** Cosines of the different-class pairs (a copy), in pair order. */
    public double[] negativeCosines() {
        return negativeCosines.clone();
    }

    public TarAtFar tarAtFar() {
        return tarAtFar;
    }

    @Override
    public String toString() {
        return String.format("verification accuracy %.4f ± %.4f (%d folds, %d pairs), threshold %.4f, TAR %.4f @ FAR %.0e",
                accuracy(), std(), protocol.folds(), protocol.pairs(), threshold(), tarAtFar.tar(), tarAtFar.farTarget());
    }
}
