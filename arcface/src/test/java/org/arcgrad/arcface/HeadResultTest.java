package org.arcgrad.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check {@code head} runs before writing: the first non-finite output, named by file and position. */
class HeadResultTest {
    private static HeadResult result(float loss) {
        return new HeadResult(new float[2 * 3], loss, new float[2 * 4], new float[3 * 4]); // N = 2, C = 3, D = 4
    }

    @Test
    void finiteOutputsPass() {
        assertEquals(Optional.empty(), result(1.5f).firstNonFinite(3, 4));
    }

    @Test
    void theFirstNonFiniteValueIsNamedByFileAndPosition() {
        HeadResult r = result(1.5f);
        r.gradW()[1 * 4 + 2] = Float.NaN;
        assertEquals(Optional.of("grad_w.npy [1, 2] = NaN"), r.firstNonFinite(3, 4));
        r.logits()[1 * 3 + 0] = Float.NEGATIVE_INFINITY;
        assertEquals(Optional.of("logits.npy [1, 0] = -Infinity"), r.firstNonFinite(3, 4));
        assertEquals(Optional.of("loss.npy = NaN"), result(Float.NaN).firstNonFinite(3, 4));
    }
}
