package org.arcgrad.arcface.train;

import java.nio.file.Path;

/**
 * Training stopped at a step boundary because a stop was requested (Ctrl-C, SIGTERM): the steps
 * of the unfinished epoch are dropped, and every file in the output folder is the complete one
 * of the last finished epoch.
 *
 * @param epoch               the epoch (from 1) that was running
 * @param stepsInEpoch        how many of its steps had run
 * @param lastCheckpoint      the checkpoint to resume from, or null when none exists yet
 * @param lastCheckpointEpoch the epochs that checkpoint holds
 */
public final class TrainingInterruptedException extends RuntimeException {
    private final int epoch;
    private final int stepsInEpoch;
    private final transient Path lastCheckpoint;
    private final int lastCheckpointEpoch;

    public TrainingInterruptedException(int epoch, int stepsInEpoch, Path lastCheckpoint, int lastCheckpointEpoch) {
        super("stopped in epoch " + epoch + " after " + stepsInEpoch + " steps");
        this.epoch = epoch;
        this.stepsInEpoch = stepsInEpoch;
        this.lastCheckpoint = lastCheckpoint;
        this.lastCheckpointEpoch = lastCheckpointEpoch;
    }

    public int epoch() {
        return epoch;
    }

    public int stepsInEpoch() {
        return stepsInEpoch;
    }

    /** The checkpoint to continue from, or null when no epoch had finished. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    public int lastCheckpointEpoch() {
        return lastCheckpointEpoch;
    }
}
