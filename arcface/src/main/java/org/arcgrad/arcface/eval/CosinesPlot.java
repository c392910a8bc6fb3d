package org.arcgrad.arcface.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * cosines.png: overlaid histograms of the same-class and different-class pair cosines, the same
 * {@link CosineHistogram bins} for both (50 over [−1, 1]) drawn as semi-transparent step areas so
 * the overlap shows, and the verification threshold as a vertical line with its value in the
 * legend. The overlap of the two humps is what verification errors are made of.
 */
public final class CosinesPlot {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;

    private CosinesPlot() {
    }

    public static void write(Path file, VerificationResult result) throws IOException {
        PngFiles.write(file, render(result, WIDTH, HEIGHT));
    }

    public static BufferedImage render(VerificationResult result, int width, int height) {
        String title = String.format("Pair cosines, test set: verification %.2f%% ± %.2f%% (%d folds, %d pairs)",
                100 * result.accuracy(), 100 * result.std(), result.protocol().folds(), result.protocol().pairs());
        return render(result.positiveCosines(), result.negativeCosines(), result.threshold(), title, width, height);
    }

    /**
     * @param threshold drawn as a vertical line; NaN for none
     */
    public static BufferedImage render(double[] positive, double[] negative, double threshold, String title,
                                       int width, int height) {
        Headless.ensure();
        int bins = CosineHistogram.DEFAULT_BINS;
        double[] edges = CosineHistogram.edges(bins);
        int[] positiveCounts = CosineHistogram.counts(positive, bins);
        int[] negativeCounts = CosineHistogram.counts(negative, bins);

        XYChart chart = ChartStyle.chart(width, height, title, "cosine similarity", "pairs per bin (bin width "
                + String.format("%.2f", edges[1] - edges[0]) + ")");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisMin(CosineHistogram.LOW);
        chart.getStyler().setXAxisMax(CosineHistogram.HIGH);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0");
        histogram(chart, "same class (" + positive.length + " pairs)", edges, positiveCounts, ChartStyle.BLUE);
        histogram(chart, "different class (" + negative.length + " pairs)", edges, negativeCounts, ChartStyle.RED);
        int highest = Math.max(1, Math.max(max(positiveCounts), max(negativeCounts)));
        if (!Double.isNaN(threshold)) {
            XYSeries line = chart.addSeries(String.format("threshold %.3f", threshold),
                    new double[] {threshold, threshold}, new double[] {0, highest * 1.05});
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(Color.BLACK);
            line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f));
            line.setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * A histogram as a step area: XChart's step goes right from each point, then up or down, so
     * the points are the left edges with their bin's count, plus the right edge repeating the
     * last count to close the last bin.
     */
    private static void histogram(XYChart chart, String name, double[] edges, int[] counts, Color color) {
        double[] y = new double[edges.length];
        for (int k = 0; k < counts.length; k++) {
            y[k] = counts[k];
        }
        y[edges.length - 1] = counts[counts.length - 1];
        XYSeries s = chart.addSeries(name, edges, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setFillColor(ChartStyle.transparent(color, 90));
        s.setLineColor(color);
        s.setLineWidth(1.5f);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
