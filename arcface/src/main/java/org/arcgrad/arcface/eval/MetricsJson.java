package org.arcgrad.arcface.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.opencl.files.AtomicFiles;

/**
 * metrics.json: the numbers of a training run for a reader (a person, a CI check, a notebook),
 * written atomically. The layout ({@value #FORMAT}); unmeasured values are null:
 *
 * <pre>
 * format                  "arcgrad-metrics/1"
 * epochs                  epochs run
 * train_seconds           seconds in training steps (evaluation excluded)
 * trained_samples         samples those steps processed
 * samples_per_second      trained_samples / train_seconds
 * peak_device_bytes       the most bytes the run's device buffers held at one time (null when not measured)
 * test_accuracy           closed-set accuracy, nearest class center by cosine
 * verification_accuracy   mean held-out accuracy over the verification folds
 * verification_std        population std (ddof = 0) of the fold accuracies, as insightface
 * verification_threshold  mean of the fold thresholds; same class when cosine &gt; threshold
 * tar_at_far              true-accept rate at verification.tar_at_far.far_target
 * closed_set              {method, train_samples, test_samples, correct, classes,
 *                          per_class_accuracy {"label": accuracy}, per_class_test_samples {"label": n}}
 * verification            {protocol, pairs, positive_pairs, negative_pairs, folds, seed, std_kind,
 *                          fold_accuracies [], fold_thresholds [],
 *                          tar_at_far {far_target, tar, far, threshold},
 *                          positive_cosine {mean, std, min, max}, negative_cosine {…},
 *                          cosine_histogram {range [-1, 1], bins, positive_counts [], negative_counts []}}
 * history                 {epoch [], loss [], test_accuracy [], verification_accuracy [], epoch_seconds []}
 *                          (an accuracy not measured in an epoch is null)
 * settings                the trainer's settings map, as given
 * non_finite              only when some number was NaN or infinite (e.g. a diverged loss):
 *                          {note, paths ["$.history.loss[3]: NaN", …]}; those numbers are null
 * </pre>
 */
public final class MetricsJson {
    public static final String FORMAT = "arcgrad-metrics/1";

    private MetricsJson() {
    }

    /** Writes metrics.json to {@code file}, replacing it atomically. */
    public static void write(Path file, TrainingMetrics metrics) throws IOException {
        AtomicFiles.write(file, content(metrics));
    }

    /** The file content, to write together with other files through {@link AtomicFiles#writeAll}. */
    public static AtomicFiles.Content content(TrainingMetrics metrics) {
        return AtomicFiles.text(toJson(metrics));
    }

    /** The JSON text. */
    public static String toJson(TrainingMetrics metrics) {
        ObjectNode document = (ObjectNode) Json.tree(document(metrics));
        List<String> nonFinite = Json.nullNonFinite(document);
        if (!nonFinite.isEmpty()) {
            ObjectNode note = document.putObject("non_finite");
            note.put("note", "these numbers were NaN or infinite, which JSON cannot hold; they are written as null");
            nonFinite.forEach(note.putArray("paths")::add);
        }
        return Json.text(document);
    }

    /** The document as nested maps (insertion-ordered), before NaN handling. */
    public static Map<String, Object> document(TrainingMetrics m) {
        ClosedSetResult closed = m.closedSet();
        VerificationResult ver = m.verification();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", FORMAT);
        d.put("epochs", m.history().size());
        d.put("train_seconds", m.trainSeconds());
        d.put("trained_samples", m.trainedSamples());
        d.put("samples_per_second", m.trainSeconds() > 0 ? m.samplesPerSecond() : null);
        d.put("peak_device_bytes", m.peakDeviceBytes() < 0 ? null : m.peakDeviceBytes());
        d.put("test_accuracy", closed == null ? null : closed.accuracy());
        d.put("verification_accuracy", ver == null ? null : ver.accuracy());
        d.put("verification_std", ver == null ? null : ver.std());
        d.put("verification_threshold", ver == null ? null : ver.threshold());
        d.put("tar_at_far", ver == null ? null : ver.tarAtFar().tar());
        d.put("closed_set", closed == null ? null : closedSet(closed));
        d.put("verification", ver == null ? null : verification(ver));
        d.put("history", history(m.history()));
        d.put("settings", m.settings());
        return d;
    }

    private static Map<String, Object> closedSet(ClosedSetResult r) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("method", "nearest class center by cosine; centers = normalized mean of L2-normalized train embeddings");
        c.put("train_samples", r.trainSamples() < 0 ? null : r.trainSamples());
        c.put("test_samples", r.testSamples());
        c.put("correct", r.correct());
        c.put("classes", r.centerCount());
        Map<String, Object> accuracy = new LinkedHashMap<>();
        Map<String, Object> count = new LinkedHashMap<>();
        for (int label : r.testLabels()) {
            accuracy.put(Integer.toString(label), r.classAccuracy(label));
            count.put(Integer.toString(label), r.classTotal(label));
        }
        c.put("per_class_accuracy", accuracy);
        c.put("per_class_test_samples", count);
        return c;
    }

    private static Map<String, Object> verification(VerificationResult r) {
        VerificationProtocol p = r.protocol();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("protocol", "LFW-style: seeded balanced pairs of test samples, " + p.folds() + " folds of "
                + p.positivesPerFold() + " same- and " + p.positivesPerFold() + " different-class pairs; "
                + "threshold on cosine chosen on the other folds (exact search, same class when cosine > threshold), "
                + "accuracy on the held-out fold");
        v.put("pairs", p.pairs());
        v.put("positive_pairs", r.positiveCosines().length);
        v.put("negative_pairs", r.negativeCosines().length);
        v.put("folds", p.folds());
        v.put("seed", p.seed());
        v.put("std_kind", "population (ddof=0), as numpy.std in insightface verification.py");
        v.put("fold_accuracies", r.crossValidation().foldAccuracies());
        v.put("fold_thresholds", r.crossValidation().foldThresholds());
        Map<String, Object> tar = new LinkedHashMap<>();
        tar.put("far_target", r.tarAtFar().farTarget());
        tar.put("tar", r.tarAtFar().tar());
        tar.put("far", r.tarAtFar().far());
        tar.put("threshold", r.tarAtFar().threshold());
        v.put("tar_at_far", tar);
        v.put("positive_cosine", summary(r.positiveCosines()));
        v.put("negative_cosine", summary(r.negativeCosines()));
        Map<String, Object> histogram = new LinkedHashMap<>();
        histogram.put("range", new double[] {CosineHistogram.LOW, CosineHistogram.HIGH});
        histogram.put("bins", CosineHistogram.DEFAULT_BINS);
        histogram.put("positive_counts", CosineHistogram.counts(r.positiveCosines(), CosineHistogram.DEFAULT_BINS));
        histogram.put("negative_counts", CosineHistogram.counts(r.negativeCosines(), CosineHistogram.DEFAULT_BINS));
        v.put("cosine_histogram", histogram);
        return v;
    }

    private static Map<String, Object> summary(double[] values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mean", Stats.mean(values));
        s.put("std", Stats.populationStd(values));
        s.put("min", Stats.min(values));
        s.put("max", Stats.max(values));
        return s;
    }

    private static Map<String, Object> history(TrainingHistory h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", h.epochs());
        out.put("loss", h.losses()); // a NaN loss is a diverged run: reported under non_finite
        out.put("test_accuracy", notMeasuredAsNull(h.testAccuracies()));
        out.put("verification_accuracy", notMeasuredAsNull(h.verificationAccuracies()));
        out.put("epoch_seconds", h.epochSeconds());
        return out;
    }

    /** NaN accuracy means "not measured this epoch": null, without a non-finite note. */
    private static List<Double> notMeasuredAsNull(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isNaN(v) ? null : v);
        }
        return out;
    }
}
