package org.fedrec.cli.run.internal;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.fedrec.core.RoundRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run (xchart, headless): the evaluation metrics over rounds, and the losses over rounds.
 * Ranking metrics (keys with an {@code @}, such as HR@10) are charted when there are any; otherwise every
 * evaluation metric that is not a counter. Non-finite values are left out of a series.
 */
public final class MetricCharts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    /** Decades of positive values a linear y axis still draws; a wider span gets a logarithmic one. */
    static final int LINEAR_DECADES = 4;

    private MetricCharts() {
    }

    /** The evaluation chart, or empty while no round has evaluated. */
    public static Optional<byte[]> evaluationPng(List<RoundRecord> records) throws IOException {
        Set<String> keys = keys(records, RoundRecord::evaluateMetrics);
        boolean anyRanking = keys.stream().anyMatch(MetricCharts::isRanking);
        Predicate<String> charted = anyRanking ? MetricCharts::isRanking : k -> !isCounter(k);
        Map<String, Series> series = new LinkedHashMap<>();
        for (String key : keys) {
            if (charted.test(key)) {
                series.put(key, collect(records, r -> r.evaluateMetrics().get(key)));
            }
        }
        return render("Evaluation metrics by round", anyRanking ? "metric value" : "value", series);
    }

    /** The loss chart (training losses and evaluation losses), or empty when no metric is a loss. */
    public static Optional<byte[]> lossPng(List<RoundRecord> records) throws IOException {
        Map<String, Series> series = new LinkedHashMap<>();
        for (String key : keys(records, RoundRecord::fitMetrics)) {
            if (isLossKey(key)) {
                series.put("training " + key, collect(records, r -> r.fitMetrics().get(key)));
            }
        }
        for (String key : keys(records, RoundRecord::evaluateMetrics)) {
            if (isLossKey(key)) {
                series.put("evaluation " + key, collect(records, r -> r.evaluateMetrics().get(key)));
            }
        }
        return render("Loss by round", "loss", series);
    }

    static boolean isRanking(String key) {
        return key.contains("@");
    }

    public static boolean isLossKey(String key) {
        return key.toLowerCase(Locale.ROOT).contains("loss");
    }

    /** Bookkeeping values the strategies report next to the metrics (client counts, failures, traffic). */
    public static boolean isCounter(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("_failures") || k.endsWith("_clients") || k.endsWith("_floats")
                || k.endsWith("_bytes") || k.equals("num_examples");
    }

    private static Set<String> keys(List<RoundRecord> records, Function<RoundRecord, Map<String, Double>> metrics) {
        Set<String> keys = new LinkedHashSet<>();
        records.forEach(r -> keys.addAll(metrics.apply(r).keySet()));
        return keys;
    }

    private record Series(double[] x, double[] y) {
    }

    private static Series collect(List<RoundRecord> records, Function<RoundRecord, Double> value) {
        List<double[]> points = new ArrayList<>();
        for (RoundRecord r : records) {
            Double v = value.apply(r);
            if (v != null && Double.isFinite(v)) {
                points.add(new double[] {r.round(), v});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series(x, y);
    }

    /** Whether values span more than {@value #LINEAR_DECADES} decades, all positive: drawn on a log axis. */
    static boolean logarithmic(List<double[]> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] ys : values) {
            for (double y : ys) {
                if (y <= 0) {
                    return false;
                }
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
        }
        return max > 0 && max / min > Math.pow(10, LINEAR_DECADES);
    }

    private static Optional<byte[]> render(String title, String yTitle, Map<String, Series> series)
            throws IOException {
        series.values().removeIf(s -> s.x().length == 0);
        if (series.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("round").yAxisTitle(yTitle).build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendVisible(true);
        styler.setMarkerSize(5);
        styler.setXAxisDecimalPattern("#");
        if (logarithmic(series.values().stream().map(Series::y).toList())) {
            // A diverging loss: a linear axis over that span is unreadable, and laying out its ticks stalls.
            styler.setYAxisLogarithmic(true);
            styler.setYAxisDecimalPattern("0.#E0");
        } else {
            styler.setYAxisDecimalPattern("0.0###");
        }
        styler.setPlotGridLinesVisible(true);
        styler.setAntiAlias(true);
        int maxPoints = series.values().stream().mapToInt(s -> s.x().length).max().orElse(0);
        series.forEach((name, s) -> {
            XYSeries xy = chart.addSeries(name, s.x(), s.y());
            xy.setMarker(maxPoints > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        });
        // xchart labels every x value when the values are equally spaced (rounds 1, 2, 3, ... are), which
        // crowds the axis; a hidden series off the grid makes it choose round ticks (5, 10, 15, ...).
        Series first = series.values().iterator().next();
        chart.addSeries(" ", new double[] {first.x()[0], first.x()[0] + 0.5}, new double[] {first.y()[0], first.y()[0]})
                .setShowInLegend(false)
                .setEnabled(false);
        ByteArrayOutputStream png = new ByteArrayOutputStream(64 * 1024);
        if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", png)) {
            throw new IOException("this Java runtime has no PNG writer");
        }
        return Optional.of(png.toByteArray());
    }
}
