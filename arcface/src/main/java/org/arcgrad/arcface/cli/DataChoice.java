package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.arcgrad.arcface.data.FashionMnist;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.SyntheticIdentities;
import org.arcgrad.arcface.data.SyntheticSpec;
import org.arcgrad.arcface.data.TrainTestSplit;
import picocli.CommandLine.Option;

/** The data options of {@code arcgrad train}: Fashion-MNIST from a folder, or synthetic identities. */
final class DataChoice {
    static final String FASHION_MNIST = "fashion-mnist";
    static final String SYNTHETIC = "synthetic";

    @Option(names = "--dataset", order = 1, paramLabel = "NAME", description = "fashion-mnist or synthetic. Default: fashion-mnist.")
    String dataset = FASHION_MNIST;

    @Option(names = "--data", order = 2, paramLabel = "DIR",
            description = "Folder with the Fashion-MNIST IDX files (.gz or not). Default: /usr/share/datasets/fashion-mnist"
                    + " (Debian's dataset-fashion-mnist).")
    Path folder = FashionMnist.DEFAULT_FOLDER;

    @Option(names = "--synthetic-classes", order = 3, paramLabel = "C",
            description = "synthetic: identities (random unit centers). Default: 100.")
    int syntheticClasses = 100;

    @Option(names = "--synthetic-dim", order = 4, paramLabel = "D", description = "synthetic: features per sample. Default: 64.")
    int syntheticDim = 64;

    @Option(names = "--synthetic-per-class", order = 5, split = ",", paramLabel = "TRAIN,TEST",
            description = "synthetic: training and test samples per identity (an epoch is TRAIN × C samples). Default: 100,20.")
    List<Integer> syntheticPerClass = List.of(SYNTHETIC_TRAIN_PER_CLASS, SYNTHETIC_TEST_PER_CLASS);

    static final int SYNTHETIC_TRAIN_PER_CLASS = 100;
    static final int SYNTHETIC_TEST_PER_CLASS = 20;
    /** σ = 1: samples about 45° from their center, centers about 90° apart. */
    static final double SYNTHETIC_NOISE = 1.0;

    /** Loads or generates the split; {@code seed} seeds the synthetic identities. */
    TrainTestSplit<? extends Samples> load(long seed) throws IOException {
        return switch (dataset) {
            case FASHION_MNIST -> FashionMnist.load(folder).split();
            case SYNTHETIC -> SyntheticIdentities.split(spec(seed));
            default -> throw new BadInputException("--dataset: " + dataset + " is not fashion-mnist or synthetic");
        };
    }

    /** The data as a setting, compared on resume. */
    String describe(long seed) {
        if (SYNTHETIC.equals(dataset)) {
            SyntheticSpec s = spec(seed);
            return "synthetic(classes=" + s.classes() + ", dim=" + s.dim() + ", train_per_class=" + s.trainPerClass()
                    + ", test_per_class=" + s.testPerClass() + ", noise=" + s.noise() + ")";
        }
        return dataset;
    }

    private SyntheticSpec spec(long seed) {
        if (syntheticPerClass.size() != 2 || syntheticPerClass.get(0) < 1 || syntheticPerClass.get(1) < 2) {
            throw new BadInputException("--synthetic-per-class: give TRAIN,TEST with TRAIN ≥ 1 and TEST ≥ 2 (verification pairs"
                    + " samples of one class), got " + syntheticPerClass.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if ((long) syntheticClasses * syntheticPerClass.get(0) > Integer.MAX_VALUE
                || (long) syntheticClasses * syntheticPerClass.get(1) > Integer.MAX_VALUE) {
            throw new BadInputException("--synthetic-per-class: " + syntheticClasses + " classes × " + syntheticPerClass
                    + " samples per class is more than " + Integer.MAX_VALUE + " samples in a set");
        }
        try {
            return new SyntheticSpec(syntheticClasses, syntheticDim, syntheticPerClass.get(0), syntheticPerClass.get(1),
                    SYNTHETIC_NOISE, true, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--synthetic-classes/--synthetic-dim: " + e.getMessage());
        }
    }
}
