package org.arcgrad.arcface.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything metrics.json reports about a training run, as the trainer hands it over.
 *
 * @param settings       model, loss, optimizer and data settings, written under "settings" in the
 *                       given order (values: maps, lists, arrays, numbers, strings, booleans,
 *                       enums, as {@link Json} writes them)
 * @param history        per-epoch records
 * @param closedSet      final closed-set result, or null when it was not measured
 * @param verification   final verification result, or null when it was not measured
 * @param trainSeconds   wall-clock seconds spent in training steps (evaluation excluded)
 * @param trainedSamples samples processed by those steps (epochs × training-set size, as run)
 */
public record TrainingMetrics(Map<String, ?> settings, TrainingHistory history, ClosedSetResult closedSet,
                              VerificationResult verification, double trainSeconds, long trainedSamples, long peakDeviceBytes) {
    /** Metrics without a device measurement (peak device memory unknown: -1). */
    public TrainingMetrics(Map<String, ?> settings, TrainingHistory history, ClosedSetResult closedSet,
                           VerificationResult verification, double trainSeconds, long trainedSamples) {
        this(settings, history, closedSet, verification, trainSeconds, trainedSamples, -1);
    }

    public TrainingMetrics {
        if (settings == null || history == null) {
            throw new IllegalArgumentException("training metrics need settings (may be empty) and a history");
        }
        if (!(trainSeconds >= 0) || Double.isInfinite(trainSeconds)) {
            throw new IllegalArgumentException("train seconds must be finite and ≥ 0, got " + trainSeconds);
        }
        if (trainedSamples < 0) {
            throw new IllegalArgumentException("trained samples must be ≥ 0, got " + trainedSamples);
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Training throughput; NaN when no time was measured. */
    public double samplesPerSecond() {
        return trainSeconds > 0 ? trainedSamples / trainSeconds : Double.NaN;
    }
}
