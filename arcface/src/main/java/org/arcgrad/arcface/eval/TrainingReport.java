package org.arcgrad.arcface.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arcgrad.opencl.files.AtomicFiles;

/**
 * The output files of a training run, in one folder: {@value #CURVES} ({@link CurvesPlot}),
 * {@value #COSINES} ({@link CosinesPlot}, only when verification was measured) and
 * {@value #METRICS} ({@link MetricsJson}). All are rendered in memory first and then replaced
 * together through {@link AtomicFiles#writeAll}, so a reader never sees a metrics.json from one
 * epoch beside a plot from another, and a failure (a plot that cannot render) changes none; only
 * a JVM that cannot draw at all gets metrics.json alone.
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

    /** The two plots, drawn by {@link CurvesPlot} and {@link CosinesPlot} (a test may plant one that fails). */
    abstract static class Plotter {
        /** Whether this plotter's failure to draw was said already. */
        private final AtomicBoolean saidCannotDraw = new AtomicBoolean();

        abstract BufferedImage curves(TrainingHistory history);

        abstract BufferedImage cosines(VerificationResult verification);
    }

    private static final Plotter PLOTS = new Plotter() {
        @Override
        BufferedImage curves(TrainingHistory history) {
            return CurvesPlot.render(history, CurvesPlot.WIDTH, CurvesPlot.HEIGHT);
        }

        @Override
        BufferedImage cosines(VerificationResult verification) {
            return CosinesPlot.render(verification, CosinesPlot.WIDTH, CosinesPlot.HEIGHT);
        }
    };

    /** Writes the files into {@code folder} (created if missing) and returns their paths. */
    public static List<Path> write(Path folder, TrainingMetrics metrics) throws IOException {
        return write(folder, metrics, PLOTS, System.err);
    }

    /**
     * As above, with the plots from {@code plotter}. A JVM that cannot draw text at all (a JRE
     * whose font library is missing a native part, libharfbuzz, say: its first use throws an
     * UnsatisfiedLinkError and every later one NoClassDefFoundError; or one without fontconfig,
     * where it throws InternalError) gets metrics.json without the PNGs, and {@code warnings} one
     * line saying why (the innermost cause), once per plotter: the numbers of a training run are
     * not lost to a picture of them.
     */
    static List<Path> write(Path folder, TrainingMetrics metrics, Plotter plotter, PrintStream warnings) throws IOException {
        Files.createDirectories(folder);
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        try {
            files.put(folder.resolve(CURVES), PngFiles.content(plotter.curves(metrics.history())));
            if (metrics.verification() != null) {
                files.put(folder.resolve(COSINES), PngFiles.content(plotter.cosines(metrics.verification())));
            }
        } catch (Error cannotDraw) {
            // what AWT throws when it cannot start its fonts: UnsatisfiedLinkError, NoClassDefFoundError,
            // AWTError, InternalError ("Fontconfig head is null" where fontconfig is missing), Error
            // ("No fonts found"); the JVM's own troubles (out of memory, stack overflow) are not a plot's
            if (cannotDraw instanceof VirtualMachineError && !(cannotDraw instanceof InternalError)) {
                throw cannotDraw;
            }
            files.clear();
            // plots of an earlier run or epoch would stand beside numbers they do not show
            Files.deleteIfExists(folder.resolve(CURVES));
            Files.deleteIfExists(folder.resolve(COSINES));
            if (!plotter.saidCannotDraw.getAndSet(true)) {
                Throwable why = cannotDraw;
                while (why.getCause() != null) {
                    why = why.getCause();
                }
                warnings.println("arcgrad: this Java cannot draw (" + why + "); " + folder.resolve(METRICS)
                        + " is written without " + CURVES + " and " + COSINES
                        + ". A full JRE draws them (on Debian: apt-get install fontconfig libharfbuzz0b).");
            }
        }
        files.put(folder.resolve(METRICS), MetricsJson.content(metrics));
        AtomicFiles.writeAll(files);
        return List.copyOf(files.keySet());
    }
}
