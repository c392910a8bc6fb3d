package org.arcgrad.arcface.data;

/**
 * What {@link SyntheticIdentities} generates: {@code classes} identities in dimension {@code dim},
 * {@code trainPerClass} training and {@code testPerClass} test samples of each, around the class
 * centre with noise of expected norm {@code noise}, renormalized onto the unit sphere or not, all
 * determined by {@code seed}.
 *
 * @param noise       σ: each sample is centre + (σ/√dim)·ε with ε standard normal, so σ² is the
 *                    expected squared distance from the centre; in high dimension the noise is
 *                    nearly orthogonal to the centre, so after renormalization a sample lies about
 *                    atan(σ) from it (σ = 0.5: 27°, σ = 1: 45°), while centres are about 90° apart
 * @param renormalize divide each sample by its norm (true: samples on the unit sphere, like the
 *                    normalized embeddings a margin head compares; false: centre plus noise as is)
 */
public record SyntheticSpec(int classes, int dim, int trainPerClass, int testPerClass, double noise, boolean renormalize,
        long seed) {
    public SyntheticSpec {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (dim < 2) {
            throw new IllegalArgumentException("dim must be at least 2, got " + dim);
        }
        if (trainPerClass < 1) {
            throw new IllegalArgumentException("trainPerClass must be at least 1, got " + trainPerClass);
        }
        if (testPerClass < 0) {
            throw new IllegalArgumentException("testPerClass must be at least 0, got " + testPerClass);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and at least 0, got " + noise);
        }
        long train = (long) classes * trainPerClass;
        long test = (long) classes * testPerClass;
        if (Math.max(train, test) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(classes + " classes × " + Math.max(trainPerClass, testPerClass)
                    + " samples per class = " + Math.max(train, test) + " samples, more than the " + Integer.MAX_VALUE
                    + " a set can number");
        }
    }
}
