package org.arcgrad.arcface.eval;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * curves.png: two panels side by side, the training loss per epoch on the left and the test
 * accuracies per epoch on the right (closed-set and verification, in percent). Two panels rather
 * than two y-axes: loss and accuracy have unrelated scales and a shared plot invites reading
 * crossings that mean nothing. Epochs whose value was not measured (NaN accuracy) are left out;
 * a non-finite loss (divergence) is left out and named in the panel title.
 */
public final class CurvesPlot {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;

    private CurvesPlot() {
    }

    public static void write(Path file, TrainingHistory history) throws IOException {
        PngFiles.write(file, render(history, WIDTH, HEIGHT));
    }

    public static BufferedImage render(TrainingHistory history, int width, int height) {
        Headless.ensure();
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("curves plot of " + width + "×" + height + " is too small to read");
        }
        int left = width / 2;
        XYChart loss = lossChart(history, left, height);
        XYChart accuracy = accuracyChart(history, width - left, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(loss, g, 0, left, height);
            paint(accuracy, g, left, width - left, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void paint(XYChart chart, Graphics2D g, int x, int width, int height) {
        Graphics2D panel = (Graphics2D) g.create(x, 0, width, height);
        try {
            chart.paint(panel, width, height);
        } finally {
            panel.dispose();
        }
    }

    private static XYChart lossChart(TrainingHistory history, int width, int height) {
        List<Integer> epochs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Integer firstNonFinite = null;
        for (EpochRecord r : history.records()) {
            if (Double.isFinite(r.loss())) {
                epochs.add(r.epoch());
                values.add(r.loss());
            } else if (firstNonFinite == null) {
                firstNonFinite = r.epoch();
            }
        }
        String title = history.size() == 0 ? "Training loss (no epochs recorded)"
                : firstNonFinite == null ? "Training loss"
                : "Loss not finite from epoch " + firstNonFinite;
        XYChart chart = ChartStyle.chart(width, height, title, "epoch", "mean loss per epoch");
        chart.getStyler().setLegendVisible(false); // one series, named by the title
        epochAxis(chart, history);
        if (!epochs.isEmpty()) {
            line(chart, "train loss", epochs, values, ChartStyle.BLUE);
            padIfFlat(chart, values, 0.1 * Math.max(1e-3, Math.abs(values.get(0))));
        }
        return chart;
    }

    private static XYChart accuracyChart(TrainingHistory history, int width, int height) {
        XYChart chart = ChartStyle.chart(width, height, "Test accuracy", "epoch", "accuracy (%)");
        epochAxis(chart, history);
        // Below the plot: inside, the box hides whatever points fall behind it.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisDecimalPattern("0.#");
        List<Double> all = new ArrayList<>();
        all.addAll(accuracySeries(chart, history, "closed-set (nearest class center)", true, ChartStyle.ORANGE));
        all.addAll(accuracySeries(chart, history, "verification (LFW protocol, k-fold)", false, ChartStyle.GREEN));
        if (all.isEmpty()) {
            chart.setTitle("Test accuracy (not measured yet)");
        } else {
            padIfFlat(chart, all, 5);
        }
        return chart;
    }

    private static List<Double> accuracySeries(XYChart chart, TrainingHistory history, String name, boolean closedSet, java.awt.Color color) {
        List<Integer> epochs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (EpochRecord r : history.records()) {
            double v = closedSet ? r.testAccuracy() : r.verificationAccuracy();
            if (!Double.isNaN(v)) {
                epochs.add(r.epoch());
                values.add(100 * v);
            }
        }
        if (!epochs.isEmpty()) {
            line(chart, name + String.format(": %.2f%%", values.get(values.size() - 1)), epochs, values, color);
        }
        return values;
    }

    /** XChart draws a flat series (one epoch, or a constant) on a degenerate axis with one tick: widen it. */
    private static void padIfFlat(XYChart chart, List<Double> values, double pad) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        if (max - min < 1e-9 * Math.max(1, Math.abs(max))) {
            chart.getStyler().setYAxisMin(min - pad);
            chart.getStyler().setYAxisMax(max + pad);
        }
    }

    private static void line(XYChart chart, String name, List<Integer> x, List<Double> y, java.awt.Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineWidth(2f);
    }

    /**
     * Both panels span the same epochs (an accuracy measured every few epochs must not stretch
     * its panel differently from the loss's), and only whole epochs are labelled: XChart picks
     * its own tick spacing, which for a few epochs falls on halves; those get no label, not "1.5".
     */
    private static void epochAxis(XYChart chart, TrainingHistory history) {
        chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : "");
        int[] epochs = history.epochs();
        if (epochs.length <= 1) {
            // A single point (or none): give the axis some width so the point sits in the middle.
            int epoch = epochs.length == 1 ? epochs[0] : 1;
            chart.getStyler().setXAxisMin((double) epoch - 1);
            chart.getStyler().setXAxisMax((double) epoch + 1);
        } else {
            chart.getStyler().setXAxisMin((double) epochs[0]);
            chart.getStyler().setXAxisMax((double) epochs[epochs.length - 1]);
        }
    }
}
