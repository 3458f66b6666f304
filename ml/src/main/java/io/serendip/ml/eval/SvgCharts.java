package io.serendip.ml.eval;

import java.util.Locale;
import java.util.Map;

/** Minimal self-contained SVG bar charts for reports. */
public final class SvgCharts {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 320;
    private static final int MARGIN = 48;

    private SvgCharts() {
    }

    /** Unlabelled bars (e.g. cluster sizes sorted descending) with a y axis maximum. */
    public static String sortedBars(String title, double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        StringBuilder svg = header(title);
        double plotWidth = WIDTH - 2.0 * MARGIN;
        double plotHeight = HEIGHT - 2.0 * MARGIN;
        double barWidth = plotWidth / Math.max(1, values.length);
        for (int i = 0; i < values.length; i++) {
            double h = max == 0 ? 0 : values[i] / max * plotHeight;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#4a78b0\"/>%n",
                    MARGIN + i * barWidth, HEIGHT - MARGIN - h, Math.max(0.5, barWidth * 0.9), h));
        }
        axis(svg, max);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%d clusters</text>%n", MARGIN,
                HEIGHT - MARGIN + 18, values.length));
        return svg.append("</svg>\n").toString();
    }

    /** One labelled bar per entry, values printed above the bars. */
    public static String labelledBars(String title, Map<String, Double> values) {
        double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder svg = header(title);
        double plotWidth = WIDTH - 2.0 * MARGIN;
        double plotHeight = HEIGHT - 2.0 * MARGIN;
        double slot = plotWidth / Math.max(1, values.size());
        int i = 0;
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            double h = max == 0 ? 0 : entry.getValue() / max * plotHeight;
            double x = MARGIN + i * slot + slot * 0.15;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#d0743c\"/>%n",
                    x, HEIGHT - MARGIN - h, slot * 0.7, h));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\">%.4f</text>%n", x,
                    HEIGHT - MARGIN - h - 4, entry.getValue()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\" font-size=\"12\">%s</text>%n", x,
                    HEIGHT - MARGIN + 18, escape(entry.getKey())));
            i++;
        }
        axis(svg, max);
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder header(String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"28\" font-size=\"16\">%s</text>%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, MARGIN, escape(title)));
    }

    private static void axis(StringBuilder svg, double max) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>%n", MARGIN + 4,
                EvaluationReport.format(max)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text>%n", HEIGHT - MARGIN));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
