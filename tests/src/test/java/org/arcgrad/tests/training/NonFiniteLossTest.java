package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arcgrad.arcface.data.Samples;
import org.arcgrad.arcface.data.SyntheticIdentities;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.train.Checkpoint;
import org.arcgrad.arcface.train.NonFiniteLossException;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.Trainer;
import org.arcgrad.arcface.train.TrainingListener;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN in the data makes the loss NaN: training stops at that step, says so, and keeps the last good checkpoint. */
class NonFiniteLossTest {
    @TempDir
    Path out;

    @Test
    void aNanLossStopsTrainingNamingTheStepAndKeepsTheLastCheckpoint() throws IOException {
        TrainTestSplit<SyntheticIdentities> clean = SmallRun.data();
        Poisoned train = new Poisoned(clean.train());
        Recipe recipe = SmallRun.recipe(3);
        byte[][] checkpointAfterEpoch1 = new byte[1][];
        Trainer trainer = new Trainer(SharedDevice.context(), recipe, SmallRun.network(recipe), new TrainTestSplit<>(train, clean.test()),
                out, new TrainingListener() {
                    @Override
                    public void epochDone(EpochRecord record, Path checkpoint) {
                        try {
                            checkpointAfterEpoch1[0] = Files.readAllBytes(checkpoint);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        train.poisoned = true; // every sample of epoch 2 is NaN
                    }
                }).withoutEvaluation();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.run(null));
        // 1 000 samples in batches of 64: 15 steps an epoch, so epoch 2 starts at step 16
        assertEquals(16, e.step());
        assertTrue(e.getMessage().startsWith("the loss is NaN at step 16 (epoch 2, batch 1); training stopped."), e.getMessage());
        assertTrue(e.getMessage().contains("after epoch 1, is " + out.resolve(Trainer.CHECKPOINT)), e.getMessage());
        assertArrayEquals(checkpointAfterEpoch1[0], Files.readAllBytes(out.resolve(Trainer.CHECKPOINT)), "the checkpoint is untouched");
        assertEquals(1, Checkpoint.read(out.resolve(Trainer.CHECKPOINT)).epochsCompleted());
    }

    /** The training samples, turned to NaN on request. */
    private static final class Poisoned implements Samples {
        private final Samples clean;
        volatile boolean poisoned;

        Poisoned(Samples clean) {
            this.clean = clean;
        }

        @Override
        public int size() {
            return clean.size();
        }

        @Override
        public int dim() {
            return clean.dim();
        }

        @Override
        public int classes() {
            return clean.classes();
        }

        @Override
        public void features(int[] indices, int count, float[] into) {
            clean.features(indices, count, into);
            if (poisoned) {
                Arrays.fill(into, 0, count * dim(), Float.NaN);
            }
        }

        @Override
        public void labels(int[] indices, int count, int[] into) {
            clean.labels(indices, count, into);
        }
    }
}
