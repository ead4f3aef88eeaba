package dev.vigie.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG bar charts for the report: no script, no font file, no network, so the HTML renders the same in a
 * browser, a mail client or a printed PDF.
 */
final class Svg {
    static final int WIDTH = 760;
    private static final String BAR = "#2f6f9f";
    private static final String ALERT = "#b03a2e";

    private Svg() {}

    /** One labelled value per bar. */
    record Bar(String label, double value) {}

    /**
     * Vertical bars over time (or over buckets); {@code marker} draws a vertical line at that bar index (a threshold)
     * when not negative. Only some labels are printed, so that they do not overlap.
     */
    static String columns(String id, String title, List<Bar> bars, int marker, String markerLabel) {
        int height = 220;
        int left = 48;
        int bottom = 40;
        int plotW = WIDTH - left - 10;
        int plotH = height - bottom - 20;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        double top = niceMax(max);
        StringBuilder sb = open(id, title, WIDTH, height);
        axis(sb, left, 20, plotW, plotH, top);
        int n = Math.max(1, bars.size());
        double slot = (double) plotW / n;
        int every = Math.max(1, (int) Math.ceil(n / 8.0));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double h = top == 0 ? 0 : b.value() / top * plotH;
            double x = left + i * slot + slot * 0.1;
            sb.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                    x, 20 + plotH - h, Math.max(1, slot * 0.8), h, BAR, Html.esc(b.label()), num(b.value())));
            if (i % every == 0) {
                sb.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
                        left + i * slot + slot / 2, 20 + plotH + 14, Html.esc(b.label())));
            }
        }
        if (marker >= 0 && marker <= bars.size()) {
            double x = left + marker * slot;
            sb.append(String.format(Locale.ROOT,
                    "<line class=\"marker\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>%n"
                            + "<text x=\"%.1f\" y=\"16\" font-size=\"11\" fill=\"%s\">%s</text>%n",
                    x, x, 20 + plotH, ALERT, x + 3, ALERT, Html.esc(markerLabel)));
        }
        return sb.append("</svg>\n").toString();
    }

    /** Horizontal bars, one per labelled row (rules, hosts). */
    static String rows(String id, String title, List<Bar> bars) {
        int rowH = 20;
        int labelW = 300;
        int height = 10 + rowH * Math.max(1, bars.size()) + 10;
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        StringBuilder sb = open(id, title, WIDTH, height);
        int plotW = WIDTH - labelW - 70;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double w = max == 0 ? 0 : b.value() / max * plotW;
            int y = 10 + i * rowH;
            String label = b.label().length() > 48 ? b.label().substring(0, 47) + "…" : b.label();
            sb.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>%n"
                            + "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>%n"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
                    labelW - 6, y + 14, Html.esc(label), labelW, y + 3, Math.max(1, w), rowH - 6, BAR,
                    Html.esc(b.label()), num(b.value()), labelW + w + 4, y + 14, num(b.value())));
        }
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, String title, int w, int h) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\">%n<title>%s</title>%n",
                id, w, h, w, h, Html.esc(title), Html.esc(title)));
    }

    private static void axis(StringBuilder sb, int left, int topY, int plotW, int plotH, double top) {
        sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n", left, topY + plotH, left + plotW, topY + plotH));
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            double y = topY + plotH - plotH * k / 4.0;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n",
                    left, y, left + plotW, y, left - 4, y + 3, num(v)));
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max}: round grid lines. */
    static double niceMax(double max) {
        if (max <= 0) return 0;
        double p = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= max) return m * p;
        }
        return 10 * p;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
