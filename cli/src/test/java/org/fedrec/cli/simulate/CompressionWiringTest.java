package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.fedrec.cli.CliException;
import org.fedrec.core.compression.DecodingStrategy;
import org.fedrec.privacy.DpFedAvg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code compression.*} end to end: encoded on the clients, decoded on the server, bytes in the run directory. */
class CompressionWiringTest {

    /** The column {@code key} of metrics.csv, one value per round. */
    static double[] column(Path dir, String key) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        int c = Arrays.asList(lines.get(0).split(",")).indexOf(key);
        assertThat(c).as("column %s in %s", key, lines.get(0)).isNotNegative();
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",", -1)[c])).toArray();
    }

    @Test
    void aCompressedRunLearnsSendsFewerBytesAndRecordsThemPerRoundAndInTotal(@TempDir Path tmp) throws Exception {
        String[] common = {"rounds=20", "eval.every=10", "early_stopping.refit=false"};
        Path plain = tmp.resolve("plain");
        Path packed = tmp.resolve("packed");
        assertThat(SimulateCommand.run(SimulateCommandTest.config(common), plain, false, List.of())).isZero();
        List<String> withCodec = new java.util.ArrayList<>(List.of(common));
        withCodec.add("compression.codec=topk:0.05+q8+deflate");
        assertThat(SimulateCommand.run(SimulateCommandTest.config(withCodec.toArray(String[]::new)), packed, false,
                List.of())).isZero();

        double[] plainUp = column(plain, "uplink_bytes");
        double[] packedUp = column(packed, "uplink_bytes");
        double[] down = column(packed, "downlink_bytes");
        assertThat(packedUp).hasSize(20);
        for (int r = 0; r < 20; r++) {
            assertThat(packedUp[r]).isPositive().isLessThan(plainUp[r] / 3);
            // 500 clients, each sent the dense fp32 model: 300 x (64 + 1) floats.
            assertThat(down[r]).isEqualTo(500.0 * 4 * 300 * 65);
        }
        assertThat(column(packed, "decode_failures")).containsOnly(0.0);
        assertThat(Arrays.stream(column(packed, "ef_residual_floats")).allMatch(v -> v > 0)).isTrue();
        JsonNode traffic = SimulateCommandTest.summary(packed).get("traffic");
        assertThat(traffic.get("codec").asText()).isEqualTo("topk:0.05+q8+deflate");
        assertThat(traffic.get("error_feedback").asBoolean()).isTrue();
        assertThat(traffic.get("uplink_bytes_total").asDouble()).isEqualTo(Arrays.stream(packedUp).sum());
        assertThat(traffic.get("downlink_bytes_total").asDouble()).isEqualTo(Arrays.stream(down).sum());
        assertThat(traffic.get("dense_fp32_update_bytes").asLong()).isEqualTo(4L * 300 * 65);
        assertThat(SimulateCommandTest.summary(plain).get("traffic").get("codec").asText()).isEqualTo("none");
        JsonNode s = SimulateCommandTest.summary(packed);
        assertThat(s.get("metrics").get("HR@10").asDouble())
                .isGreaterThan(s.get("baselines").get("popularity").get("HR@10").asDouble());
    }

    @Test
    void aDownlinkCodecSendsTheModelQuantisedAndTheRunStillLearns(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("down");
        assertThat(SimulateCommand.run(SimulateCommandTest.config("rounds=20", "eval.every=10",
                "early_stopping.refit=false", "compression.downlink_codec=q8"), dir, false, List.of())).isZero();

        // 500 clients, each sent the 300 x (64 + 1) model at q8: a byte per value, an fp32 scale per 64 values
        // (the item table's 19,200 values make 300 blocks, the 300 biases 5), and a small header per table.
        double perClient = 300 * 64 + 4 * 300 + 300 + 4 * 5;
        for (double down : column(dir, "downlink_bytes")) {
            assertThat(down / 500).isBetween(perClient, perClient + 32);
        }
        JsonNode s = SimulateCommandTest.summary(dir);
        assertThat(s.get("traffic").get("downlink_codec").asText()).isEqualTo("q8");
        assertThat(s.get("traffic").get("codec").asText()).isEqualTo("none");
        assertThat(s.get("metrics").get("HR@10").asDouble())
                .isGreaterThan(s.get("baselines").get("popularity").get("HR@10").asDouble());
    }

    @Test
    void aTopKDownlinkCodecIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("compression.downlink_codec=topk:0.1")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("config key 'compression.downlink_codec': downlink codec 'topk:0.1' has a top-k stage");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("compression.downlink_codec=q9")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("config key 'compression.downlink_codec'").hasMessageContaining("unknown stage 'q9'");
    }

    @Test
    void losslessCodingChangesTheBytesNotTheModel(@TempDir Path tmp) throws Exception {
        String[] common = {"rounds=3", "eval.every=3", "early_stopping.refit=false", "synthetic.users=100"};
        SimulateCommand.run(SimulateCommandTest.config(common), tmp.resolve("a"), false, List.of());
        List<String> c = new java.util.ArrayList<>(List.of(common));
        c.add("compression.codec=deflate");
        SimulateCommand.run(SimulateCommandTest.config(c.toArray(String[]::new)), tmp.resolve("b"), false, List.of());
        assertThat(SimulateCommandTest.summary(tmp.resolve("b")).get("metrics"))
                .isEqualTo(SimulateCommandTest.summary(tmp.resolve("a")).get("metrics"));
        assertThat(column(tmp.resolve("b"), "uplink_bytes")[0]).isLessThan(column(tmp.resolve("a"), "uplink_bytes")[0]);
    }

    @Test
    void silosWithNeuMFCompressTheirDenseLayersAndSparseRows(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("silos");
        assertThat(SimulateCommand.run(SimulateCommandTest.config("synthetic.users=100", "rounds=2", "eval.every=2",
                "early_stopping.refit=false", "partition=iid", "partition.clients=4", "model=neumf",
                "compression.codec=topk:0.05+q8+deflate"), dir, false, List.of())).isZero();
        assertThat(column(dir, "decode_failures")).containsOnly(0.0);
        assertThat(column(dir, "fit_clients")).containsOnly(4.0);
        assertThat(column(dir, "uplink_bytes")[0]).isLessThan(column(dir, "downlink_bytes")[0] / 10);
    }

    @Test
    void denseTablesCanHaveACodecOfTheirOwnSoTopKOnlySparsifiesTheRows(@TempDir Path tmp) throws Exception {
        String[] common = {"synthetic.users=100", "rounds=2", "eval.every=2", "early_stopping.refit=false",
                "partition=iid", "partition.clients=4", "model=neumf", "compression.codec=topk:0.05+q8"};
        Path one = tmp.resolve("one");
        Path split = tmp.resolve("split");
        SimulateCommand.run(SimulateCommandTest.config(common), one, false, List.of());
        List<String> c = new java.util.ArrayList<>(List.of(common));
        c.add("compression.dense_codec=q8");
        assertThat(SimulateCommand.run(SimulateCommandTest.config(c.toArray(String[]::new)), split, false, List.of()))
                .isZero();
        assertThat(column(split, "decode_failures")).containsOnly(0.0);
        // The MLP layers now send every value (quantised) instead of 5% of them.
        assertThat(column(split, "uplink_floats")[0]).isGreaterThan(3 * column(one, "uplink_floats")[0]);
        JsonNode traffic = SimulateCommandTest.summary(split).get("traffic");
        assertThat(traffic.get("codec").asText()).isEqualTo("topk:0.05+q8");
        assertThat(traffic.get("dense_codec").asText()).isEqualTo("q8");
        assertThat(SimulateCommandTest.summary(one).get("traffic").get("dense_codec").asText())
                .isEqualTo("topk:0.05+q8");
    }

    @Test
    void stochasticCodecsTravelThroughSparkAndGiveTheInMemoryResult(@TempDir Path tmp) throws Exception {
        var c = SimulateCommandTest.config("rounds=3", "eval.every=3", "early_stopping.refit=false",
                "clients_per_round=60", "compression.codec=q4+deflate");
        SimulateCommand.run(c, tmp.resolve("memory"), false, List.of());
        SimulateCommand.run(c.with("engine", "spark").with("engine.spark_master", "local[2]"), tmp.resolve("spark"),
                false, List.of());
        assertThat(SimulateCommandTest.withoutTimes(tmp.resolve("spark")))
                .isEqualTo(SimulateCommandTest.withoutTimes(tmp.resolve("memory")));
    }

    @Test
    void withDpTheServerDecodesBeforeDpFedAvgAndClientsCompressAfterClipping(@TempDir Path tmp) throws Exception {
        Simulation sim = Simulation.build(SimulateCommandTest.config("synthetic.users=50", "dp.enabled=true",
                "compression.codec=q8"));
        assertThat(sim.strategy()).isInstanceOf(DecodingStrategy.class);
        assertThat(((DecodingStrategy) sim.strategy()).delegate()).isInstanceOf(DpFedAvg.class);
        Path dir = tmp.resolve("dp");
        assertThat(SimulateCommand.run(SimulateCommandTest.config("synthetic.users=50", "rounds=2", "eval.every=2",
                "dp.enabled=true", "compression.codec=topk:0.1+q8"), dir, false, List.of())).isZero();
        assertThat(Arrays.stream(column(dir, "epsilon")).allMatch(e -> e > 0)).isTrue();
        assertThat(column(dir, "clipped")).hasSize(2);
    }

    @Test
    void combinationsThatCannotWorkAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.codec=q8", "privacy.hide_items=secagg_totals")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("compression.codec=q8 cannot be combined with privacy.hide_items=secagg_totals");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.codec=topk:0.01", "engine=spark")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("compression.error_feedback with engine=spark is not supported");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.codec=q8+zip")))
                .isInstanceOf(CliException.class).hasMessageContaining("config key 'compression.codec'")
                .hasMessageContaining("unknown stage 'zip'");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.error_feedback=on")))
                .isInstanceOf(CliException.class).hasMessageContaining("needs a lossy compression.codec");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.codec=deflate", "compression.error_feedback=on")))
                .isInstanceOf(CliException.class).hasMessageContaining("which is lossless");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.dense_codec=q8")))
                .isInstanceOf(CliException.class).hasMessageContaining("compression.dense_codec=q8 needs a compression.codec");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "compression.codec=q8", "compression.dense_codec=q9")))
                .isInstanceOf(CliException.class).hasMessageContaining("config key 'compression.dense_codec'");
        // Without top-k, error feedback is off unless asked for.
        assertThat(Simulation.build(SimulateCommandTest.config("synthetic.users=50", "compression.codec=q8"))
                .errorFeedback()).isFalse();
        assertThat(Simulation.build(SimulateCommandTest.config("synthetic.users=50", "compression.codec=topk:0.01",
                "compression.error_feedback=off")).errorFeedback()).isFalse();
    }
}
