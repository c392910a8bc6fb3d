package org.arcgrad.arcface.train;

import java.nio.file.Path;

/**
 * The loss of a step was NaN or infinite: training stopped there, without writing a checkpoint,
 * so the last good one (if any) stays as it was.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    public NonFiniteLossException(float loss, long step, int epoch, int batch, Path lastCheckpoint, int lastCheckpointEpoch) {
        super("the loss is " + loss + " at step " + step + " (epoch " + epoch + ", batch " + batch + "); training stopped. "
                + (lastCheckpoint == null ? "No checkpoint was written yet."
                        : "The last good checkpoint, after epoch " + lastCheckpointEpoch + ", is " + lastCheckpoint + ".")
                + " A lower --lr usually helps.");
        this.step = step;
    }

    /** The global step (from 1) whose loss was not finite. */
    public long step() {
        return step;
    }
}
