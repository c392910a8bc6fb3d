package org.arcgrad.arcface.train;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A child process for {@link CheckpointKillTest}: writes checkpoints to one file for ever, the
 * k-th with every value k and epoch k, until it is killed. The arrays are refilled, not
 * reallocated, so nearly all its time is spent inside writes, where the kill should land.
 */
public final class CheckpointWriteLoop {
    private CheckpointWriteLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int elements = Integer.parseInt(args[1]);
        Checkpoint template = Checkpoints.filled(1, 1, 4, elements);
        for (int k = 1; ; k++) {
            for (float[] t : template.tensors().values()) {
                Arrays.fill(t, k);
            }
            Checkpoint c = Checkpoints.filled(k, k, 0, 1);
            new Checkpoint(k, c.stepsCompleted(), c.trainSeconds(), c.trainedSamples(), c.settings(), template.tensors(),
                    template.shapes(), c.history()).write(file);
            System.out.println("wrote " + k);
        }
    }
}
