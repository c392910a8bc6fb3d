package org.arcgrad.arcface.cli;

import org.arcgrad.opencl.runtime.ByteSizes;
import org.arcgrad.opencl.runtime.DeviceOutOfMemoryException;

/**
 * The work did not fit in memory: one line naming what did not fit, in the user's terms (W, grad W,
 * the N×C logits, the batch), and what to change for this command; exit code {@link Main#OUT_OF_MEMORY}.
 */
public final class OutOfMemoryFailure extends RuntimeException {
    public OutOfMemoryFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The device ran out: {@code tensors} says what the command keeps there and how large each is
     * ({@link #size}), {@code advice} what to change.
     */
    static OutOfMemoryFailure onDevice(DeviceOutOfMemoryException e, String tensors, String advice) {
        return new OutOfMemoryFailure("out of device memory on '" + e.device().name() + "' (" + e.device().memoryLimits()
                + "): " + tensors + "; " + advice, e);
    }

    /** "1000000×8 float32, 30.5 MiB". */
    static String size(long rows, long columns) {
        return rows + "×" + columns + " float32, " + ByteSizes.mib(rows * columns * Float.BYTES);
    }
}
