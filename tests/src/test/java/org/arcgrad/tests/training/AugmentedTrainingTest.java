package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.arcface.train.TrainingListener;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer applies {@code Recipe.augment} to image data (the crop and flip themselves are held
 * to a reference in ImageAugmentationTest; resuming with it, in ResumeTest) and refuses it on
 * samples that are not images.
 */
class AugmentedTrainingTest {
    @TempDir
    Path dir;

    private static Recipe recipe(boolean augment) {
        return new Recipe().hidden(java.util.List.of(16)).embedding(8).batch(32).epochs(1).seed(5).augment(augment);
    }

    private float[] firstLayerAfterOneEpoch(boolean augment) throws IOException {
        Recipe recipe = recipe(augment);
        Network network = recipe.network(784, new ArcFace(30, 0.5, false), 10, 1);
        Trainer.Outcome o = new Trainer(SharedDevice.context(), recipe, network, ResNetRun.syntheticImages(), dir.resolve("aug-" + augment),
                TrainingListener.QUIET).withoutEvaluation().run(null);
        String first = o.values().keySet().stream().filter(n -> !n.contains("momentum")).findFirst().orElseThrow();
        return o.values().get(first);
    }

    @Test
    void augmentedTrainingSeesOtherPixelsThanPlainTraining() throws IOException {
        assertFalse(Arrays.equals(firstLayerAfterOneEpoch(false), firstLayerAfterOneEpoch(true)),
                "the same weights with and without augmentation: it was not applied");
    }

    @Test
    void samplesThatAreNotImagesAreRefused() {
        Recipe recipe = recipe(true);
        Network network = recipe.network(784, new ArcFace(30, 0.5, false), 10, 1);
        String m = assertThrows(IllegalArgumentException.class, () -> new Trainer(SharedDevice.context(), recipe, network,
                ResNetRun.syntheticData(), dir.resolve("refused"), TrainingListener.QUIET).withoutEvaluation().run(null)).getMessage();
        assertTrue(m.contains("augmentation needs images"), m);
    }
}
