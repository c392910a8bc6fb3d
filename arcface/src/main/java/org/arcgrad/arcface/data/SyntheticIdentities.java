package org.arcgrad.arcface.data;

import java.util.Objects;

/**
 * Synthetic face-recognition-like data for runs with 10 000 to 1 000 000 classes: each class
 * (identity) is a random unit centre on the sphere, each sample its centre plus gaussian noise.
 * Nothing is stored: every sample is computed when asked for from (seed, class, sample number), so a
 * million classes in dimension 512 cost no memory (stored, their centres alone would take 2 GB).
 *
 * <p>Definition, for {@link SyntheticSpec} (classes C, dim d, noise σ, seed):
 * <ul>
 *   <li>centre of class c: g/‖g‖, g the first d normals of the stream keyed (seed, {@value #CENTER_PURPOSE}, c);
 *   <li>sample j of class c: x = centre + (σ/√d)·e, e the first d normals of the stream keyed
 *       (seed, {@value #NOISE_PURPOSE}, c, j); x/‖x‖ if renormalized;
 *   <li>the training set holds samples j = 0 .. trainPerClass−1 of every class, the test set
 *       samples j = trainPerClass .. trainPerClass+testPerClass−1: the same classes and centres,
 *       never the same sample;
 *   <li>within a set, sample i is class i / perClass, sample j = first + i % perClass (class-major).
 * </ul>
 * Streams and normals are {@link SplitMix64}'s (polar method, StrictMath); arithmetic is in double,
 * rounded once to float. So the data is the same on every JVM and can be regenerated elsewhere.
 *
 * <pre>{@code
 * TrainTestSplit<SyntheticIdentities> data = SyntheticIdentities.split(
 *         new SyntheticSpec(100_000, 128, 4, 1, 0.5, true, 42));
 * Batcher batches = Batcher.forTraining(data.train(), 256, 42);
 * }</pre>
 */
public final class SyntheticIdentities implements Samples {
    /** Separates the centre streams from the other streams drawn from the same seed. */
    static final long CENTER_PURPOSE = 0x43454E544552L; // "CENTER"
    /** Separates the noise streams from the other streams drawn from the same seed. */
    static final long NOISE_PURPOSE = 0x4E4F495345L; // "NOISE"

    private final SyntheticSpec spec;
    private final String name;
    private final int firstSample;
    private final int perClass;
    /** One row of double work space per thread, so that filling a batch allocates nothing. */
    private final ThreadLocal<double[]> scratch;

    private SyntheticIdentities(SyntheticSpec spec, String name, int firstSample, int perClass) {
        this.spec = spec;
        this.name = name;
        this.firstSample = firstSample;
        this.perClass = perClass;
        this.scratch = ThreadLocal.withInitial(() -> new double[spec.dim()]);
    }

    /** The training and test sets of {@code spec}: the same classes, disjoint samples. */
    public static TrainTestSplit<SyntheticIdentities> split(SyntheticSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new TrainTestSplit<>(
                new SyntheticIdentities(spec, "synthetic train", 0, spec.trainPerClass()),
                new SyntheticIdentities(spec, "synthetic test", spec.trainPerClass(), spec.testPerClass()));
    }

    public SyntheticSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return spec.classes() * perClass;
    }

    @Override
    public int dim() {
        return spec.dim();
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    /** The label of sample {@code i} of this set. */
    public int label(int i) {
        return Objects.checkIndex(i, size()) / perClass;
    }

    @Override
    public void features(int[] indices, int count, float[] into) {
        double[] work = scratch.get();
        int d = spec.dim();
        for (int r = 0; r < count; r++) {
            int i = Objects.checkIndex(indices[r], size());
            sample(i / perClass, firstSample + i % perClass, into, r * d, work);
        }
    }

    @Override
    public void labels(int[] indices, int count, int[] into) {
        for (int r = 0; r < count; r++) {
            into[r] = label(indices[r]);
        }
    }

    /** Writes the unit centre of class {@code c} into {@code into[offset .. offset+dim)}. */
    public void center(int c, float[] into, int offset) {
        double[] work = scratch.get();
        centerInto(Objects.checkIndex(c, spec.classes()), work);
        for (int k = 0; k < work.length; k++) {
            into[offset + k] = (float) work[k];
        }
    }

    /**
     * Writes sample number {@code j} of class {@code c} (numbered across the split: training
     * samples first, then test samples) into {@code into[offset .. offset+dim)}.
     */
    public void sample(int c, int j, float[] into, int offset) {
        if (j < 0) {
            throw new IllegalArgumentException("sample numbers count from 0, got " + j);
        }
        sample(Objects.checkIndex(c, spec.classes()), j, into, offset, scratch.get());
    }

    private void sample(int c, int j, float[] into, int offset, double[] work) {
        centerInto(c, work);
        SplitMix64 noise = new SplitMix64(SplitMix64.key(spec.seed(), NOISE_PURPOSE, c, j));
        double scale = spec.noise() / Math.sqrt(spec.dim());
        double squares = 0;
        for (int k = 0; k < work.length; k++) {
            work[k] += scale * noise.nextGaussian();
            squares += work[k] * work[k];
        }
        double factor = spec.renormalize() ? 1 / Math.sqrt(squares) : 1;
        for (int k = 0; k < work.length; k++) {
            into[offset + k] = (float) (work[k] * factor);
        }
    }

    private void centerInto(int c, double[] work) {
        SplitMix64 random = new SplitMix64(SplitMix64.key(spec.seed(), CENTER_PURPOSE, c));
        double squares = 0;
        for (int k = 0; k < work.length; k++) {
            work[k] = random.nextGaussian();
            squares += work[k] * work[k];
        }
        double inverseNorm = 1 / Math.sqrt(squares);
        for (int k = 0; k < work.length; k++) {
            work[k] *= inverseNorm;
        }
    }

    @Override
    public String toString() {
        return name + " (" + size() + " samples × " + dim() + " features, " + classes() + " classes, " + perClass
                + " per class, noise " + spec.noise() + (spec.renormalize() ? ", renormalized" : "") + ", seed " + spec.seed() + ")";
    }
}
