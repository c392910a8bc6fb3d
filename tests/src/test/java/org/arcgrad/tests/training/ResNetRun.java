package org.arcgrad.tests.training;

import java.util.Arrays;
import org.arcgrad.arcface.data.Dataset;
import org.arcgrad.arcface.data.ImageLayout;
import org.arcgrad.arcface.data.SyntheticIdentities;
import org.arcgrad.arcface.data.SyntheticSpec;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;

/**
 * The ResNet runs the training tests share (one network shape, batch 32, so that they compile the
 * same kernels and PoCL's cache serves the second): 28×28 single-channel inputs, ArcFace
 * s = 30, m = 0.5, embedding 32, the default optimizer and schedule.
 */
final class ResNetRun {
    /** 10 synthetic identities of 784 features (28×28 "images" of noise around a centre): 32 training and 8 test samples each. */
    static final SyntheticSpec SYNTHETIC = new SyntheticSpec(10, 784, 32, 8, 2.0, true, 5);

    private ResNetRun() {
    }

    static Recipe recipe(int epochs) {
        return new Recipe().model(Recipe.ModelKind.resnet).embedding(32).batch(32).epochs(epochs).seed(3).dataset("resnet test set");
    }

    static Network network(Recipe recipe) {
        return recipe.network(784, new ArcFace(30, 0.5, false), 10, 1);
    }

    static TrainTestSplit<SyntheticIdentities> syntheticData() {
        return SyntheticIdentities.split(SYNTHETIC);
    }

    /** {@link #syntheticData()} held as 28×28 images (blank = 0), so that augmentation applies to them. */
    static TrainTestSplit<Dataset> syntheticImages() {
        TrainTestSplit<SyntheticIdentities> s = syntheticData();
        return new TrainTestSplit<>(asImages(s.train()), asImages(s.test()));
    }

    private static Dataset asImages(org.arcgrad.arcface.data.Samples samples) {
        int[] all = java.util.stream.IntStream.range(0, samples.size()).toArray();
        float[] features = new float[samples.size() * samples.dim()];
        int[] labels = new int[samples.size()];
        samples.features(all, features);
        samples.labels(all, labels);
        java.util.List<String> names = java.util.stream.IntStream.range(0, samples.classes()).mapToObj(Integer::toString).toList();
        return new Dataset("synthetic 28x28 images", features, labels, samples.dim(), names, new ImageLayout(28, 0f));
    }

    /** The first {@code n} samples of a data set. */
    static Dataset first(Dataset d, int n) {
        return new Dataset(d.name() + ", first " + n, Arrays.copyOf(d.features(), n * d.dim()), Arrays.copyOf(d.labels(), n), d.dim(),
                d.classNames(), d.images().orElse(null));
    }
}
