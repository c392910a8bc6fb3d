package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.heads.CurricularFace;
import org.arcgrad.arcface.heads.ElasticFace;
import org.arcgrad.arcface.pairs.MultiSimilarityLoss;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Objective;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.SettingsMismatchException;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.arcface.train.TrainingListener;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped after an epoch and resumed from its checkpoint, in a fresh trainer (new
 * executables, new buffers), ends bitwise equal to the run that never stopped: every parameter,
 * every optimizer state tensor, every batch-norm statistic, and the losses of the later epochs.
 * Bitwise, not within a tolerance: the shuffling and dropout streams depend only on the seed and
 * the epoch or step, the checkpoint holds fp32 values exactly, and the kernels are deterministic
 * (no atomics; every sum in a fixed order), on the same device and driver.
 */
class ResumeTest {
    @TempDir
    Path dir;

    /** The small run as it is, and with Partial FC (8 of the 10 classes a step, batch 8: the sample is keyed by the step). */
    @ParameterizedTest(name = "batch {0}, sample rate {1}")
    @CsvSource(value = {"64, null", "8, 0.8"}, nullValues = "null")
    void resumingReachesExactlyTheUninterruptedResult(int batch, Double sampleRate) throws IOException {
        Recipe recipe = SmallRun.recipe(3).batch(batch).sampleRate(sampleRate);
        assertResumingIsBitwise(recipe, SmallRun.network(recipe), SmallRun.data(), 3);
    }

    /** A head with training state (CurricularFace's running t, a state parameter of the step): carried, checkpointed, resumed. */
    @Test
    void aHeadWithTrainingStateResumesExactly() throws IOException {
        Recipe recipe = SmallRun.recipe(2);
        Network network = recipe.network(SmallRun.network(recipe).inputs(), new CurricularFace(), SmallRun.network(recipe).classes(), 1);
        float t = assertResumingIsBitwise(recipe, network, SmallRun.data(), 2).get(CurricularFace.T)[0];
        assertTrue(t != 0 && Float.isFinite(t), "the running t moved from 0: " + t);
    }

    /** A head with random margins (ElasticFace+, draws keyed by seed and step): the resumed run draws what the straight one did. */
    @Test
    void aHeadWithRandomMarginsResumesExactly() throws IOException {
        Recipe recipe = SmallRun.recipe(2);
        ElasticFace head = new ElasticFace(ElasticFace.Form.ARC, 30, 0.5, 0.1, true);
        assertResumingIsBitwise(recipe, recipe.network(SmallRun.network(recipe).inputs(), head, SmallRun.network(recipe).classes(), 1),
                SmallRun.data(), 2);
    }

    /** A pair loss with mining (multi-similarity) on P×K batches: the batches come from (seed, epoch) alone, as the shuffled ones. */
    @Test
    void aPairLossOnPkBatchesResumesExactly() throws IOException {
        Recipe recipe = SmallRun.recipe(2).classBalanced(5, 8);
        assertResumingIsBitwise(recipe, recipe.network(SmallRun.DATA.dim(), new Objective.Pairs(new MultiSimilarityLoss()),
                SmallRun.DATA.classes()), SmallRun.data(), 2);
    }

    /** The ResNet (convolutions, batch norm over images, residual sums, max of its running statistics) on 28×28 synthetic images. */
    @Test
    void theResNetResumesExactlyWithAugmentation() throws IOException {
        Recipe recipe = ResNetRun.recipe(2).augment(true); // each sample's crop and flip come from (seed, epoch, sample) alone
        assertResumingIsBitwise(recipe, ResNetRun.network(recipe), ResNetRun.syntheticImages(), 2);
    }

    /** Runs {@code epochs} straight, and again resumed from the checkpoint after epoch 1: the two must end bitwise equal. */
    private Map<String, float[]> assertResumingIsBitwise(Recipe recipe, Network network, TrainTestSplit<? extends Samples> data, int epochs)
            throws IOException {
        Path afterEpoch1 = dir.resolve("after-epoch-1.npz");
        Path straightOut = dir.resolve("straight");
        Trainer.Outcome straight = new Trainer(SharedDevice.context(), recipe, network, data, straightOut,
                new TrainingListener() {
                    @Override
                    public void epochDone(EpochRecord record, Path checkpoint) {
                        if (record.epoch() == 1) {
                            copy(checkpoint, afterEpoch1); // as if the process had been killed after epoch 1
                        }
                    }
                }).withoutEvaluation().run(null);

        Trainer.Outcome resumed = new Trainer(SharedDevice.context(), recipe, network, data,
                dir.resolve("resumed"), TrainingListener.QUIET).withoutEvaluation().run(afterEpoch1);

        assertEquals(straight.values().keySet(), resumed.values().keySet());
        assertTrue(straight.values().keySet().stream().anyMatch(n -> n.endsWith(".momentum_buffer")), "optimizer state is compared too");
        for (String name : straight.values().keySet()) {
            assertArrayEquals(straight.values().get(name), resumed.values().get(name), name + " differs after resuming");
        }
        assertEquals(straight.history().records().size(), resumed.history().records().size());
        for (int e = 1; e < epochs; e++) {
            assertEquals(straight.history().records().get(e).loss(), resumed.history().records().get(e).loss(), 0, "loss of epoch " + (e + 1));
        }
        assertEquals(straight.trainedSamples(), resumed.trainedSamples());
        return straight.values();
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedNamingTheSetting() throws IOException {
        Recipe recipe = SmallRun.recipe(1);
        new Trainer(SharedDevice.context(), recipe, SmallRun.network(recipe), SmallRun.data(), dir, TrainingListener.QUIET)
                .withoutEvaluation().run(null);
        Recipe other = SmallRun.recipe(1).lr(0.05);
        SettingsMismatchException e = assertThrows(SettingsMismatchException.class, () -> new Trainer(SharedDevice.context(), other,
                SmallRun.network(other), SmallRun.data(), dir.resolve("again"), TrainingListener.QUIET)
                .run(dir.resolve(Trainer.CHECKPOINT)));
        assertTrue(e.getMessage().contains("schedule: checkpoint has onecycle(lr=0.1), this run onecycle(lr=0.05)"), e.getMessage());
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
