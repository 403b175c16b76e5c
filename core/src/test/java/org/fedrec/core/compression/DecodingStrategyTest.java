package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.Aggregation;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.ForwardingStrategy;
import org.junit.jupiter.api.Test;

/** The server half: decodes before the wrapped strategy, turns bad payloads into failures, counts bytes. */
class DecodingStrategyTest {

    static ModelState global() {
        return new ModelState(Map.of("item", FloatTable.zeros(10, 2)));
    }

    static FitResult encoded(String client, Codec codec, float value) {
        TableDelta.SparseRows d = new TableDelta.SparseRows(2, new int[] {3}, new float[] {value, -value});
        return new FitResult(client, 1, new ModelUpdate(Map.of("item",
                codec.encode(10, 2, d, new SplittableRandom(1)).encoded())), Map.of());
    }

    /** FedAvg that records the results and failures it was given. */
    static Strategy recording(AtomicReference<List<FitResult>> results, AtomicReference<List<ClientFailure>> failures) {
        return new ForwardingStrategy(new FedAvg(FedAvg.Settings.defaults())) {
            @Override
            public Aggregate aggregateFit(int round, ModelState g, List<FitResult> r, List<ClientFailure> f) {
                results.set(r);
                failures.set(f);
                return super.aggregateFit(round, g, r, f);
            }
        };
    }

    @Test
    void decodesAggregatesAndCountsTheBytesThatArrived() {
        Codec codec = Codec.parse("fp16+deflate");
        AtomicReference<List<FitResult>> seen = new AtomicReference<>();
        DecodingStrategy s = new DecodingStrategy(recording(seen, new AtomicReference<>()), codec);
        List<FitResult> results = List.of(encoded("a", codec, 0.5f), encoded("b", codec, 1.5f));
        var agg = s.aggregateFit(1, global(), results, List.of());

        assertThat(seen.get()).allMatch(r -> !r.update().isEncoded());
        assertThat(agg.next().table("item").get(3, 0)).isEqualTo(1f);
        assertThat(agg.next().table("item").get(3, 1)).isEqualTo(-1f);
        long bytes = 0;
        for (FitResult r : results) {
            TableDelta.Encoded e = (TableDelta.Encoded) r.update().deltas().get("item");
            bytes += e.payload().length + e.headerBytes();
        }
        assertThat(agg.metrics()).containsEntry(Aggregation.UPLINK_BYTES, (double) bytes)
                .containsEntry(Aggregation.CLIENT_UPLINK_BYTES, bytes / 2.0)
                .containsEntry("uplink_floats", 4.0)
                .containsEntry(DecodingStrategy.DECODE_FAILURES_METRIC, 0.0);
    }

    @Test
    void anUndecodableResultFailsThatClientAndTheRoundGoesOn() {
        Codec codec = Codec.parse("q8");
        FitResult good = encoded("good", codec, 0.5f);
        TableDelta.Encoded e = (TableDelta.Encoded) encoded("x", codec, 1f).update().deltas().get("item");
        FitResult truncated = new FitResult("cut", 1, new ModelUpdate(Map.of("item", new TableDelta.Encoded(e.codec(),
                e.rows(), e.cols(), e.values(), java.util.Arrays.copyOf(e.payload(), 3)))), Map.of());
        FitResult wrongShape = new FitResult("shape", 1, new ModelUpdate(Map.of("item", new TableDelta.Encoded(e.codec(),
                12, 2, e.values(), e.payload()))), Map.of());
        FitResult wrongCodec = encoded("codec", Codec.parse("q4"), 1f);
        AtomicReference<List<ClientFailure>> failures = new AtomicReference<>();
        Strategy inner = recording(new AtomicReference<>(), failures);
        List<ClientFailure> earlier = new ArrayList<>(List.of(new ClientFailure("gone", 4, ClientFailure.Phase.FIT, "timeout")));
        var agg = new DecodingStrategy(inner, codec).aggregateFit(4, global(),
                List.of(good, truncated, wrongShape, wrongCodec), earlier);

        assertThat(earlier).hasSize(1); // input not modified
        assertThat(failures.get()).extracting(ClientFailure::clientId).containsExactly("gone", "cut", "shape", "codec");
        assertThat(failures.get().get(1).toString()).contains("client cut failed fit in round 4",
                "client cut, table 'item': payload truncated");
        assertThat(failures.get().get(2).message()).contains("client shape, table 'item': payload of shape 12x2 for a "
                + "table of 10x2");
        assertThat(failures.get().get(3).message()).contains("payload written by codec 'q4', expected 'q8'");
        assertThat(agg.metrics()).containsEntry(DecodingStrategy.DECODE_FAILURES_METRIC, 3.0)
                .containsEntry("fit_clients", 1.0).containsEntry("fit_failures", 4.0);
        assertThat(agg.next().table("item").get(3, 0)).isNotZero();
    }

    @Test
    void anEncodedUpdateReachingAStrategyWithoutTheDecoderFailsNamingClientAndTable() {
        Codec codec = Codec.parse("q8");
        FedAvg plain = new FedAvg(FedAvg.Settings.defaults());
        assertThatThrownBy(() -> plain.aggregateFit(1, global(), List.of(encoded("u42", codec, 1f)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client u42: table 'item' is still encoded by codec 'q8'")
                .hasMessageContaining("DecodingStrategy");
        ModelUpdate mean = new ModelUpdate(Map.of("item", new TableDelta.Encoded("q8", 10, 2, 0, new byte[2])));
        assertThatThrownBy(() -> Aggregation.applyDelta(global(), mean, 1.0))
                .hasMessageContaining("table 'item' is still encoded by codec 'q8'");
    }

    @Test
    void uncompressedUpdatesReportTheirSparseFp32Size() {
        // 2 rows of width 2: (4 + 8) bytes each.
        FitResult r = new FitResult("a", 1, new ModelUpdate(Map.of("item",
                new TableDelta.SparseRows(2, new int[] {1, 2}, new float[4]))), Map.of());
        Map<String, Double> m = Aggregation.fitMetrics(List.of(r, r), List.of());
        assertThat(m).containsEntry(Aggregation.UPLINK_BYTES, 48.0).containsEntry(Aggregation.CLIENT_UPLINK_BYTES, 24.0);
    }
}
