package org.arcgrad.opencl.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench head's chunk-products bound counts every chunk once: full chunks by their number, a short last one by itself. */
class ChunkProductsSumTest {
    @Test
    void fullChunksAreCountedAndAShortLastOneIsAdded() {
        List<Integer> measured = new ArrayList<>();
        assertEquals(4 + 4 + 2, GemmBenchmark.overChunks(10, 4, w -> {
            measured.add(w);
            return w;
        }));
        assertEquals(List.of(4, 2), measured, "each width measured once");
        assertEquals(3, GemmBenchmark.overChunks(12, 4, w -> 1));
        assertEquals(7, GemmBenchmark.overChunks(7, 7, w -> w));
        assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.overChunks(7, 8, w -> w));
        assertThrows(IllegalArgumentException.class, () -> GemmBenchmark.overChunks(7, 0, w -> w));
    }
}
