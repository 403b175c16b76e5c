package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedrec.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** End-to-end {@code fedrec simulate} in mode=async and on simulated devices, on a small synthetic shop. */
class AsyncSimulateTest {

    private static List<Double> column(JsonNode metrics, String key) {
        List<Double> out = new ArrayList<>();
        for (JsonNode row : metrics) {
            if (row.hasNonNull(key)) {
                out.add(row.get(key).asDouble());
            }
        }
        return out;
    }

    @Test
    void anAsyncRunLearnsInSimulatedTimeAndRecordsEveryEvaluation(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("async");
        int status = SimulateCommand.run(SimulateCommandTest.config("mode=async", "rounds=20", "eval.every=2",
                "async.concurrency=20", "async.buffer=5", "early_stopping.refit=false"), dir, false,
                List.of("fedrec", "simulate"));
        assertThat(status).isZero();
        JsonNode summary = SimulateCommandTest.summary(dir);
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(column(metrics, "round")).startsWith(200.0, 400.0); // 500 clients / K = 5: 100 versions a round
        List<Double> simTime = column(metrics, "sim_time");
        assertThat(simTime).hasSize(metrics.size()).isSorted();
        assertThat(simTime.get(0)).isPositive();
        assertThat(column(metrics, "fit_clients")).allMatch(n -> n == 1000.0); // 200 versions x K = 5
        assertThat(column(metrics, "staleness_max")).allMatch(s -> s > 0);
        assertThat(column(metrics, "fit_failures")).anyMatch(f -> f > 0); // default dropout 0.1
        double hr = summary.get("metrics").get("HR@10").asDouble();
        double popularity = summary.get("baselines").get("popularity").get("HR@10").asDouble();
        // The model early stopping picked beats popularity, and training went on improving the test metric.
        assertThat(hr).isGreaterThan(popularity + 0.03);
        List<Double> testHr = column(metrics, "HR@10");
        assertThat(testHr.get(testHr.size() - 1)).isGreaterThan(Math.max(popularity + 0.05, testHr.get(0)));
    }

    @Test
    void syncRoundsOnSimulatedDevicesReportSimulatedTime(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sync");
        int status = SimulateCommand.run(SimulateCommandTest.config("devices.enabled=true", "rounds=10",
                "eval.every=5", "clients_per_round=50", "early_stopping.refit=false"), dir, false,
                List.of("fedrec", "simulate"));
        assertThat(status).isZero();
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        List<Double> simTime = column(metrics, "sim_time");
        assertThat(simTime).hasSize(10).isSorted();
        List<Double> roundSeconds = column(metrics, "sim_round_seconds");
        for (int r = 1; r < 10; r++) {
            assertThat(simTime.get(r) - simTime.get(r - 1)).isCloseTo(roundSeconds.get(r),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(column(metrics, "dropped_out")).anyMatch(d -> d > 0);
        // every client is evaluated, available or not
        assertThat(column(metrics, "evaluate_failures")).containsOnly(0.0);
    }

    @Test
    void asyncRefusesWhatItCannotDo() {
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("mode=async", "dp.enabled=true")))
                .isInstanceOf(CliException.class).hasMessageContaining("mode=async with dp.enabled=true");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("mode=async",
                "privacy.hide_items=secagg_totals"))).hasMessageContaining("secagg_totals");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("mode=async", "compression.codec=q8")))
                .isInstanceOf(CliException.class).hasMessageContaining("mode=async with compression.codec=q8");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("mode=async",
                "compression.downlink_codec=fp16"))).isInstanceOf(CliException.class)
                .hasMessageContaining("mode=async with compression.downlink_codec=fp16");
    }
}
