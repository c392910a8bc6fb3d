package org.arcgrad.arcface;

/**
 * A head's forward and backward on one batch, in fp32 row-major arrays: logits [N, C] (the seed's
 * {@code output}), the mean cross-entropy, and its gradients for x [N, D] and W (W's shape).
 */
public record HeadResult(float[] logits, float loss, float[] gradX, float[] gradW) {
    /**
     * The first value that is NaN or infinite, as "FILE [row, column] = value" (the output files'
     * names; {@code classes} and {@code d} give the rows' lengths), or empty when all are finite.
     * From finite inputs of bounded norm every output is finite, so one that is not is a fault.
     */
    public java.util.Optional<String> firstNonFinite(int classes, int d) {
        if (!Float.isFinite(loss)) {
            return java.util.Optional.of("loss.npy = " + loss);
        }
        String[] names = {"logits.npy", "grad_x.npy", "grad_w.npy"};
        float[][] arrays = {logits, gradX, gradW};
        int[] columns = {classes, d, d};
        for (int a = 0; a < arrays.length; a++) {
            for (int i = 0; i < arrays[a].length; i++) {
                if (!Float.isFinite(arrays[a][i])) {
                    return java.util.Optional.of(names[a] + " [" + i / columns[a] + ", " + i % columns[a] + "] = " + arrays[a][i]);
                }
            }
        }
        return java.util.Optional.empty();
    }
}
