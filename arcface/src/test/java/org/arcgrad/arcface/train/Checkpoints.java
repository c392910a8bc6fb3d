package org.arcgrad.arcface.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.eval.TrainingHistory;

/** Checkpoints for tests: every tensor filled with one value, so a reader can tell which write it sees. */
final class Checkpoints {
    private Checkpoints() {
    }

    static Checkpoint filled(int epoch, float value, int tensors, int elements) {
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, int[]> s = new LinkedHashMap<>();
        for (int k = 0; k < tensors; k++) {
            float[] v = new float[elements];
            java.util.Arrays.fill(v, value);
            t.put("layer" + k + ".weight", v);
            s.put("layer" + k + ".weight", new int[] {elements});
        }
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= epoch; e++) {
            h.add(new EpochRecord(e, 1.0 / e, e == epoch ? 0.5 : Double.NaN, e == epoch ? 0.75 : Double.NaN, 2.5));
        }
        return new Checkpoint(epoch, 100L * epoch, 2.5 * epoch, 6400L * epoch, Map.of("lr", "0.1", "seed", "0"), t, s, h);
    }
}
