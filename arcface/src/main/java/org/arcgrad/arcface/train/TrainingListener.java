package org.arcgrad.arcface.train;

import java.nio.file.Path;
import org.arcgrad.arcface.eval.EpochRecord;

/** What a {@link Trainer} reports as it goes: the console progress bar is one listener, tests use others. */
public interface TrainingListener {
    TrainingListener QUIET = new TrainingListener() {
    };

    /** Before the compile: the classes per chunk of the training step, or null when it runs whole. */
    default void classChunks(Integer width) {
    }

    default void compiled(double seconds, int trainingKernels) {
    }

    default void resumed(Path checkpoint, int epochsCompleted) {
    }

    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** After every step: the step's loss and the epoch's throughput so far. */
    default void stepDone(int stepInEpoch, float loss, double samplesPerSecond) {
    }

    /** After the epoch's steps, before its evaluation. */
    default void epochTrained(int epoch, double meanLoss, double seconds, double samplesPerSecond) {
    }

    /** The run stops before the next step because a stop was requested. */
    default void interrupted() {
    }

    /** After the epoch's evaluation and checkpoint. */
    default void epochDone(EpochRecord record, Path checkpoint) {
    }
}
