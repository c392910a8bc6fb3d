package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonTest {

    static TrainingMetrics sample(double lastLoss) {
        TrainingHistory history = new TrainingHistory();
        history.add(new EpochRecord(1, 12.5, 0.41, 0.71, 10.0));
        history.add(EpochRecord.unevaluated(2, 8.25, 9.5));
        history.add(new EpochRecord(3, lastLoss, 0.83, 0.9, 9.75));
        Embeddings train = ClosedSetAccuracyTest.separated(30, 20, 0.3, 5);
        Embeddings test = ClosedSetAccuracyTest.separated(30, 20, 0.3, 6);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("head", "arcface");
        settings.put("s", 30.0);
        settings.put("m", 0.5);
        settings.put("embedding", 128);
        settings.put("data", "C:\\data\\\"fashion\"\n");
        return new TrainingMetrics(settings, history, ClosedSetAccuracy.evaluate(train, test),
                Verification.evaluate(test, VerificationProtocol.lfw(3)), 29.25, 3 * 60_000L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writtenFileParsesBackWithTheRequiredKeys(@TempDir Path dir) throws IOException {
        TrainingMetrics metrics = sample(6.0);
        Path file = dir.resolve("metrics.json");
        MetricsJson.write(file, metrics);
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left beside metrics.json");
        }

        Map<String, Object> m = (Map<String, Object>) JsonTest.read(Files.readString(file, StandardCharsets.UTF_8));
        for (String key : List.of("format", "test_accuracy", "verification_accuracy", "verification_std", "epochs",
                "train_seconds", "samples_per_second", "verification_threshold", "history", "settings")) {
            assertTrue(m.containsKey(key), "missing " + key);
        }
        assertEquals(MetricsJson.FORMAT, m.get("format"));
        assertEquals(3, m.get("epochs"));
        assertEquals(29.25, m.get("train_seconds"));
        assertEquals(180_000 / 29.25, (Double) m.get("samples_per_second"), 1e-9);
        assertEquals(metrics.closedSet().accuracy(), m.get("test_accuracy"));
        assertEquals(metrics.verification().accuracy(), m.get("verification_accuracy"));
        assertEquals(metrics.verification().std(), m.get("verification_std"));
        assertEquals(metrics.verification().threshold(), m.get("verification_threshold"));
        assertFalse(m.containsKey("non_finite"));

        Map<String, Object> history = (Map<String, Object>) m.get("history");
        assertEquals(List.of(1, 2, 3), history.get("epoch"));
        assertEquals(List.of(12.5, 8.25, 6.0), history.get("loss"));
        assertEquals(Arrays.asList(0.41, null, 0.83), history.get("test_accuracy"), "not measured: null");
        assertEquals(Arrays.asList(0.71, null, 0.9), history.get("verification_accuracy"));
        assertEquals(List.of(10.0, 9.5, 9.75), history.get("epoch_seconds"));

        Map<String, Object> settings = (Map<String, Object>) m.get("settings");
        assertEquals("C:\\data\\\"fashion\"\n", settings.get("data"), "escaping survives the round trip");
        assertEquals(List.of("head", "s", "m", "embedding", "data"), List.copyOf(settings.keySet()));

        Map<String, Object> v = (Map<String, Object>) m.get("verification");
        assertEquals(6000, v.get("pairs"));
        assertEquals(3000, v.get("positive_pairs"));
        assertEquals(10, ((List<?>) v.get("fold_accuracies")).size());
        Map<String, Object> histogram = (Map<String, Object>) v.get("cosine_histogram");
        int positives = ((List<Integer>) histogram.get("positive_counts")).stream().mapToInt(Integer::intValue).sum();
        assertEquals(3000, positives);
        Map<String, Object> c = (Map<String, Object>) m.get("closed_set");
        assertEquals(30, ((Map<?, ?>) c.get("per_class_accuracy")).size());
        assertEquals(600, c.get("test_samples"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDivergedLossIsWrittenAsNullWithANote() {
        Map<String, Object> m = (Map<String, Object>) JsonTest.read(MetricsJson.toJson(sample(Double.NaN)));
        assertEquals(Arrays.asList(12.5, 8.25, null), ((Map<String, Object>) m.get("history")).get("loss"));
        Map<String, Object> note = (Map<String, Object>) m.get("non_finite");
        assertEquals(List.of("$.history.loss[2]: NaN"), note.get("paths"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void unmeasuredResultsAreNull() {
        TrainingMetrics metrics = new TrainingMetrics(Map.of(), new TrainingHistory(), null, null, 0, 0);
        Map<String, Object> m = (Map<String, Object>) JsonTest.read(MetricsJson.toJson(metrics));
        for (String key : List.of("test_accuracy", "verification_accuracy", "verification_std",
                "verification_threshold", "samples_per_second", "closed_set", "verification")) {
            assertTrue(m.containsKey(key), key);
            assertNull(m.get(key), key);
        }
        assertEquals(0, m.get("epochs"));
        assertFalse(m.containsKey("non_finite"));
    }
}
