package org.arcgrad.arcface.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.opencl.files.AtomicFiles;

/**
 * The output files of a training run, in one folder: {@value #CURVES} ({@link CurvesPlot}),
 * {@value #COSINES} ({@link CosinesPlot}, only when verification was measured) and
 * {@value #METRICS} ({@link MetricsJson}). All are rendered in memory first and then replaced
 * together through {@link AtomicFiles#writeAll}, so a reader never sees a metrics.json from one
 * epoch beside a plot from another, and a failure (a plot that cannot render) changes none.
 * A trainer may call this after every epoch to keep the folder current.
 *
 * <pre>{@code
 * TrainingReport.write(Path.of("runs/fashion"), new TrainingMetrics(settings, history,
 *         closedSet, verification, trainSeconds, trainedSamples));
 * }</pre>
 */
public final class TrainingReport {
    public static final String CURVES = "curves.png";
    public static final String COSINES = "cosines.png";
    public static final String METRICS = "metrics.json";

    private TrainingReport() {
    }

    /** Writes the files into {@code folder} (created if missing) and returns their paths. */
    public static List<Path> write(Path folder, TrainingMetrics metrics) throws IOException {
        Files.createDirectories(folder);
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(folder.resolve(CURVES),
                PngFiles.content(CurvesPlot.render(metrics.history(), CurvesPlot.WIDTH, CurvesPlot.HEIGHT)));
        if (metrics.verification() != null) {
            files.put(folder.resolve(COSINES),
                    PngFiles.content(CosinesPlot.render(metrics.verification(), CosinesPlot.WIDTH, CosinesPlot.HEIGHT)));
        }
        files.put(folder.resolve(METRICS), MetricsJson.content(metrics));
        AtomicFiles.writeAll(files);
        return List.copyOf(files.keySet());
    }
}
