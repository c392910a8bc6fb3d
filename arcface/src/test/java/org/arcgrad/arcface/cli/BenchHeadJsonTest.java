package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.arcgrad.arcface.eval.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench head --json FILE} writes the figures in its layout, one row per C, on a
 * tiny head (what the figures are is the benchmark's business; no test asserts a time).
 */
class BenchHeadJsonTest {
    @TempDir
    Path dir;

    @Test
    void writesOneRowPerClassCountWithEveryField() throws IOException {
        Path json = dir.resolve("head.json");
        CliRun r = CliRun.of("bench", "head", "--no-torch", "--classes", "64,100", "--batch", "8", "--dim", "4",
                "--warmup", "0", "--reps", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode rows = Json.parse(Files.readString(json)).get("rows");
        assertEquals(2, rows.size());
        int[] classes = {64, 100};
        for (int i = 0; i < 2; i++) {
            JsonNode row = rows.get(i);
            List<String> fields = new java.util.ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("classes", "fused_ms", "unfused_ms", "gemm_floor_ms", "chunk_products_ms", "device_mib", "unfused_device_mib",
                    "weights_mib", "chunk", "floor_ratio", "floor_ratios", "torch_ms"), fields);
            assertEquals(classes[i], row.get("classes").asInt());
            assertEquals(classes[i], row.get("chunk").asInt(), "C/25 is under 1024: one chunk of C");
            assertEquals(Math.round(2.0 * classes[i] * 4 * 4 / (1 << 20) * 10) / 10.0, row.get("weights_mib").asDouble(), 1e-9);
            for (String timed : List.of("fused_ms", "unfused_ms", "gemm_floor_ms", "chunk_products_ms", "device_mib", "unfused_device_mib")) {
                assertTrue(row.get(timed).isNumber() && row.get(timed).asDouble() >= 0, timed + ": " + row);
            }
            assertTrue(row.get("torch_ms").isNull(), "PyTorch not run");
            assertEquals(1, row.get("floor_ratios").size(), "one round by default");
            assertEquals(row.get("floor_ratios").get(0).asDouble(), row.get("floor_ratio").asDouble(), 1e-9);
        }
        assertTrue(r.out().contains("wrote " + json), r.out());
    }

    /** With --rounds 3, each row lists three ratios of chunked / floor and reports their median; the text output lists them too. */
    @Test
    void roundsGiveOneRatioEachAndTheirMedian() throws IOException {
        Path json = dir.resolve("rounds.json");
        CliRun r = CliRun.of("bench", "head", "--no-torch", "--classes", "64", "--batch", "8", "--dim", "4",
                "--warmup", "0", "--reps", "1", "--rounds", "3", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode row = Json.parse(Files.readString(json)).get("rows").get(0);
        double[] ratios = new double[3];
        for (int k = 0; k < 3; k++) {
            ratios[k] = row.get("floor_ratios").get(k).asDouble();
            assertTrue(ratios[k] > 0, row.toString());
        }
        assertEquals(3, row.get("floor_ratios").size(), row.toString());
        java.util.Arrays.sort(ratios);
        assertEquals(ratios[1], row.get("floor_ratio").asDouble(), 1e-9, row.toString());
        assertTrue(r.out().contains("C = 64: chunked / floor in 3 rounds: ["), r.out());
    }

    @Test
    void zeroRoundsAreRefused() {
        CliRun r = CliRun.of("bench", "head", "--no-torch", "--classes", "64", "--batch", "8", "--dim", "4", "--rounds", "0");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--rounds: must be ≥ 1, got 0"), r.err());
    }

    @Test
    void aJsonFileInAMissingFolderIsRefusedBeforeAnyWork() {
        Path json = dir.resolve("no such folder").resolve("head.json");
        CliRun r = CliRun.of("bench", "head", "--no-torch", "--classes", "64", "--batch", "8", "--dim", "4",
                "--warmup", "0", "--reps", "1", "--json", json.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--json: the folder " + json.getParent() + " does not exist"), r.err());
        assertFalse(r.out().contains("arcgrad:"), "nothing measured: " + r.out());
    }
}
