package org.arcgrad.arcface.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlotsTest {

    private static BufferedImage read(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " missing");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode as an image");
        return image;
    }

    private static TrainingHistory history(int epochs) {
        TrainingHistory h = new TrainingHistory();
        for (int e = 1; e <= epochs; e++) {
            double loss = 3 + 22 * Math.exp(-e / 4.0);
            h.add(e % 3 == 2 ? EpochRecord.unevaluated(e, loss, 10)
                    : new EpochRecord(e, loss, 0.9 - 0.6 * Math.exp(-e / 3.0), 0.95 - 0.4 * Math.exp(-e / 3.5), 10));
        }
        return h;
    }

    @Test
    void curvesPngHasTheExpectedSizeAndIsNotBlank(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("curves.png");
        CurvesPlot.write(file, history(20));
        BufferedImage image = read(file);
        assertEquals(CurvesPlot.WIDTH, image.getWidth());
        assertEquals(CurvesPlot.HEIGHT, image.getHeight());
        assertTrue(distinctColours(image) > 10, "a chart has lines, text and fills, not one colour");
        assertTrue(GraphicsEnvironment.isHeadless(), "plots switch AWT to headless before using it");
    }

    @Test
    void curvesRenderForEdgeHistories() {
        TrainingHistory diverged = history(4);
        diverged.add(EpochRecord.unevaluated(5, Double.NaN, 10));
        for (TrainingHistory h : List.of(new TrainingHistory(), history(1), diverged)) {
            BufferedImage image = CurvesPlot.render(h, 640, 400);
            assertEquals(640, image.getWidth());
            assertEquals(400, image.getHeight());
        }
    }

    @Test
    void cosinesPngHasTheExpectedSize(@TempDir Path dir) throws IOException {
        VerificationResult v = Verification.evaluate(ClosedSetAccuracyTest.separated(30, 20, 0.15, 6), VerificationProtocol.lfw(3));
        Path file = dir.resolve("cosines.png");
        CosinesPlot.write(file, v);
        BufferedImage image = read(file);
        assertEquals(CosinesPlot.WIDTH, image.getWidth());
        assertEquals(CosinesPlot.HEIGHT, image.getHeight());
        assertTrue(distinctColours(image) > 10);
    }

    @Test
    void reportWritesAllThreeFilesAndNoTemporaries(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        List<Path> written = TrainingReport.write(out, MetricsJsonTest.sample(4.0));
        assertEquals(List.of(out.resolve("curves.png"), out.resolve("cosines.png"), out.resolve("metrics.json")), written);
        read(out.resolve("curves.png"));
        read(out.resolve("cosines.png"));
        assertTrue(JsonTest.read(Files.readString(out.resolve("metrics.json"))) instanceof Map);
        try (Stream<Path> listing = Files.list(out)) {
            assertEquals(3, listing.count(), "only the three files, no temporary leftovers");
        }
        // Again, over the existing files (a trainer rewrites them every epoch).
        TrainingReport.write(out, MetricsJsonTest.sample(3.5));
        try (Stream<Path> listing = Files.list(out)) {
            assertEquals(3, listing.count());
        }
    }

    /** What AWT throws where it cannot draw text, and the innermost cause a warning should name. */
    static Stream<Arguments> cannotDraw() {
        return Stream.of(
                Arguments.of(new UnsatisfiedLinkError("libfontmanager.so: libharfbuzz.so.0: cannot open shared object file"),
                        "libharfbuzz.so.0"),
                Arguments.of(new InternalError(new java.lang.reflect.InvocationTargetException(
                        new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration"))), "Fontconfig head is null"));
    }

    /**
     * A JRE without its font library's native parts (libharfbuzz) or without fontconfig cannot draw
     * text: the numbers are written all the same, stale plots are removed, and one line says why.
     */
    @ParameterizedTest
    @MethodSource("cannotDraw")
    void aJvmThatCannotDrawStillGetsMetricsJsonAndOneWarning(Error failure, String cause, @TempDir Path dir) throws IOException {
        TrainingReport.Plotter broken = new TrainingReport.Plotter() {
            @Override
            BufferedImage curves(TrainingHistory history) {
                throw failure;
            }

            @Override
            BufferedImage cosines(VerificationResult verification) {
                throw failure;
            }
        };
        Path out = dir.resolve("run");
        TrainingReport.write(out, MetricsJsonTest.sample(5.0)); // an earlier run's plots, drawn
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        java.io.PrintStream warnings = new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8);
        List<Path> written = TrainingReport.write(out, MetricsJsonTest.sample(4.0), broken, warnings);
        assertEquals(List.of(out.resolve("metrics.json")), written);
        assertTrue(JsonTest.read(Files.readString(out.resolve("metrics.json"))) instanceof Map);
        try (Stream<Path> listing = Files.list(out)) {
            assertEquals(1, listing.count(), "metrics.json alone: no stale plots, no temporary leftovers");
        }
        TrainingReport.write(out, MetricsJsonTest.sample(3.5), broken, warnings);
        String text = said.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains(cause) && text.contains("metrics.json"), text);
        assertEquals(1, text.lines().count(), "said once, not every epoch: " + text);
    }

    /** Out of memory is the JVM's trouble, not a plot's: it is not taken for a JVM that cannot draw. */
    @Test
    void outOfMemoryWhileDrawingIsNotSwallowed(@TempDir Path dir) {
        TrainingReport.Plotter starved = new TrainingReport.Plotter() {
            @Override
            BufferedImage curves(TrainingHistory history) {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            BufferedImage cosines(VerificationResult verification) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        assertThrows(OutOfMemoryError.class, () -> TrainingReport.write(dir, MetricsJsonTest.sample(4.0), starved, System.err));
    }

    @Test
    void histogramBinsCoverMinusOneToOne() {
        int[] counts = CosineHistogram.counts(new double[] {-1.0, -1.0000001, -0.96, 0.0, 0.999, 1.0, 1.0000001}, 50);
        assertEquals(2, counts[0]);       // −1 and the rounding step below it
        assertEquals(1, counts[1]);       // −0.96 opens bin 1: [−0.96, −0.92)
        assertEquals(1, counts[25]);      // 0 opens bin 25
        assertEquals(3, counts[49]);      // 0.999, 1 and the rounding step above it
        assertEquals(7, java.util.Arrays.stream(counts).sum());
        assertEquals(51, CosineHistogram.edges(50).length);
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
