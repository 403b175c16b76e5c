package org.fedrec.cli.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import org.fedrec.core.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loss chart of a diverging run: a loss that grows from 0.4 to 1e30 once made the chart library lay
 * out ticks for a linear axis of that span, and the run stalled in writing loss.png after every round. Such
 * a span is drawn on a logarithmic axis. (The timeout turns that stall into a failure; it measures nothing.)
 */
class MetricChartsTest {

    private static List<RoundRecord> losses(double... values) {
        List<RoundRecord> records = new ArrayList<>();
        for (int r = 0; r < values.length; r++) {
            records.add(new RoundRecord(r + 1, Map.of("loss", values[r]), Map.of(), 1, 1));
        }
        return records;
    }

    private static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLossThatDivergesOverThirtyDecadesIsDrawn() throws Exception {
        byte[] png = MetricCharts.lossPng(losses(0.8, 0.6, 0.5, 1.5, 11.4, 2.4, 4.8e30, Double.NaN)).orElseThrow();
        assertThat(image(png).getWidth()).isPositive();
    }

    @Test
    void usesALogarithmicAxisOnlyForASpanOfManyDecadesOfPositiveValues() {
        assertThat(MetricCharts.logarithmic(List.of(new double[] {0.8, 0.5, 0.45}))).isFalse();
        assertThat(MetricCharts.logarithmic(List.of(new double[] {0.8}, new double[] {4.8e30}))).isTrue();
        assertThat(MetricCharts.logarithmic(List.of(new double[] {0.0, 4.8e30}))).as("log of 0").isFalse();
    }
}
