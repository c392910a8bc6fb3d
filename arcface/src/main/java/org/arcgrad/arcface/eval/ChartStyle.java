package org.arcgrad.arcface.eval;

import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** The look shared by the training plots: white, light grid, readable fonts, one palette. */
final class ChartStyle {
    static final Color BLUE = new Color(31, 119, 180);
    static final Color ORANGE = new Color(255, 127, 14);
    static final Color RED = new Color(214, 39, 40);
    static final Color GREEN = new Color(44, 160, 44);

    private ChartStyle() {
    }

    static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
        s.setMarkerSize(7);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** {@code color} with {@code alpha} (0–255), for fills that overlap. */
    static Color transparent(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }
}
