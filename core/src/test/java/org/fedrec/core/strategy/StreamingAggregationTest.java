package org.fedrec.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitAccumulator;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Streaming aggregation against an oracle that states the list path's arithmetic element by element: per
 * value a float sum of {@code (float) n_k * delta} over the clients, in order, that sent the row with
 * {@code n_k > 0}, and a double weight per row; a dense table scales by {@code (float) (1 / weight)} in
 * float, a sparse one multiplies in double. Results must match it bit for bit.
 */
class StreamingAggregationTest {

    /** Two tables: "item" (rows x cols, sent sparse or dense) and "bias" (rows x 1, sent by some). */
    record Round(ModelState global, List<FitResult> results, List<ClientFailure> failures) {
    }

    @Provide
    Arbitrary<Round> rounds() {
        return Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 4),
                Arbitraries.longs()).as(StreamingAggregationTest::round);
    }

    /** Two rounds over tables of the same shapes. */
    @Provide
    Arbitrary<List<Round>> twoRounds() {
        return Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 4),
                Arbitraries.longs(), Arbitraries.longs()).as((rows, cols, a, b) -> List.of(round(rows, cols, a),
                round(rows, cols, b)));
    }

    /** Up to 9 clients and 3 failures; a third of the clients train on no examples. */
    static Round round(int rows, int cols, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int clients = random.nextInt(10);
        int failureCount = random.nextInt(4);
        float[] item = new float[rows * cols];
        float[] bias = new float[rows];
        fill(random, item);
        fill(random, bias);
        ModelState global = new ModelState(Map.of("item", new FloatTable(rows, cols, item),
                "bias", new FloatTable(rows, 1, bias)));
        List<FitResult> results = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            // Table order varies between clients, so that first-seen order is exercised.
            for (String table : random.nextBoolean() ? List.of("item", "bias") : List.of("bias", "item")) {
                int width = table.equals("item") ? cols : 1;
                switch (random.nextInt(4)) {
                    case 0 -> { } // not sent
                    case 1 -> {
                        float[] v = new float[rows * width];
                        fill(random, v);
                        deltas.put(table, new TableDelta.Dense(v));
                    }
                    default -> {
                        int[] sent = random.ints(0, rows).limit(random.nextInt(rows + 1)).distinct().sorted().toArray();
                        float[] v = new float[sent.length * width];
                        fill(random, v);
                        deltas.put(table, new TableDelta.SparseRows(width, sent, v));
                    }
                }
            }
            long examples = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000);
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (random.nextBoolean()) {
                metrics.put("loss", random.nextDouble() * 3);
            }
            if (random.nextBoolean()) {
                metrics.put("steps", (double) random.nextInt(500));
            }
            results.add(new FitResult("c" + k, examples, new ModelUpdate(deltas), metrics));
        }
        List<ClientFailure> failures = new ArrayList<>();
        for (int f = 0; f < failureCount; f++) {
            failures.add(new ClientFailure("f" + f, 1, ClientFailure.Phase.FIT, "dropped"));
        }
        return new Round(global, results, failures);
    }

    /** Values of mixed scale and sign, so float rounding differs with the order and precision of sums. */
    private static void fill(java.util.SplittableRandom random, float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(7) - 3));
        }
    }

    @Property(tries = 400)
    void theMeanDeltaMatchesTheOracleBitForBit(@ForAll("rounds") Round r) {
        Aggregation.MeanDelta folded = new Aggregation.MeanDelta(r.global());
        r.results().forEach(folded::add);
        assertSameBits(folded.finish(), oracleMean(r.global(), r.results()));
        assertSameBits(Aggregation.weightedMeanDelta(r.global(), r.results()), oracleMean(r.global(), r.results()));
    }

    @Property(tries = 200)
    void everyFedAvgFamilyStrategyFoldsToTheOracleOverRounds(@ForAll("twoRounds") List<Round> rounds) {
        FedAvg.Settings settings = FedAvg.Settings.defaults().withServerLearningRate(0.5);
        FedOpt.Hyper hyper = new FedOpt.Hyper(0.9, 0.99, 1e-3);
        List<java.util.function.Supplier<FedAvg>> family = List.of(() -> new FedAvg(settings),
                () -> new FedProx(settings, 0.1), () -> new FedAvgM(settings, 0.9), () -> new FedAdam(settings, hyper),
                () -> new FedYogi(settings, hyper), () -> new FedAdagrad(settings, hyper));
        for (var make : family) {
            FedAvg streaming = make.get();
            FedAvg reference = make.get();
            ModelState viaStream = rounds.get(0).global();
            ModelState viaOracle = viaStream;
            // Two rounds, so that a server optimiser's state carries over.
            for (Round r : rounds) {
                FitAccumulator acc = streaming.streamingFit(1, viaStream).orElseThrow();
                // Failures interleave with results: only the order of results matters.
                for (int i = 0; i < r.results().size(); i++) {
                    if (i < r.failures().size()) {
                        acc.addFailure(r.failures().get(i));
                    }
                    acc.add(r.results().get(i));
                }
                r.failures().stream().skip(r.results().size()).forEach(acc::addFailure);
                Strategy.Aggregate agg = acc.finish();
                assertThat(agg.metrics()).as(streaming.getClass().getSimpleName())
                        .containsExactlyEntriesOf(oracleMetrics(r.results(), r.failures()));
                viaOracle = r.results().isEmpty() ? viaOracle
                        : reference.applyServerStep(viaOracle, oracleMean(viaOracle, r.results()));
                assertSameBits(agg.next(), viaOracle);
                viaStream = agg.next();
                // The list path is the same fold.
                assertThat(make.get().aggregateFit(1, r.global(), r.results(), r.failures()).metrics())
                        .isEqualTo(agg.metrics());
            }
        }
    }

    @Property(tries = 100)
    void refusedFailuresKeepTheModelButCountTheRound(@ForAll("rounds") Round r) {
        FedAvg.Settings refuse = new FedAvg.Settings(org.fedrec.core.ClientSampler.all(),
                org.fedrec.core.ClientSampler.all(), org.fedrec.core.RoundConfig.EMPTY, org.fedrec.core.RoundConfig.EMPTY,
                1.0, false);
        FitAccumulator acc = new FedAvg(refuse).streamingFit(1, r.global()).orElseThrow();
        r.results().forEach(acc::add);
        r.failures().forEach(acc::addFailure);
        Strategy.Aggregate agg = acc.finish();
        if (!r.failures().isEmpty() || r.results().isEmpty()) {
            assertThat(agg.next()).isSameAs(r.global());
        }
        assertThat(agg.metrics()).containsExactlyEntriesOf(oracleMetrics(r.results(), r.failures()));
    }

    static ModelUpdate oracleMean(ModelState global, List<FitResult> results) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.addAll(r.update().deltas().keySet()));
        Map<String, TableDelta> out = new LinkedHashMap<>();
        for (String name : names) {
            FloatTable t = global.table(name);
            boolean anyDense = results.stream().anyMatch(r -> r.update().deltas().get(name) instanceof TableDelta.Dense);
            TreeSet<Integer> sentRows = new TreeSet<>();
            float[] dense = new float[t.size()];
            List<Float> sparseValues = new ArrayList<>();
            for (int row = 0; row < t.rows(); row++) {
                double weight = 0;
                float[] sum = new float[t.cols()];
                for (FitResult r : results) {
                    TableDelta d = r.update().deltas().get(name);
                    int at = offsetOf(d, row, t.cols());
                    if (at < 0 || r.numExamples() == 0) {
                        continue;
                    }
                    float[] values = d instanceof TableDelta.Dense x ? x.values() : ((TableDelta.SparseRows) d).values();
                    for (int c = 0; c < t.cols(); c++) {
                        sum[c] += (float) r.numExamples() * values[at + c];
                    }
                    weight += r.numExamples();
                }
                for (int c = 0; c < t.cols(); c++) {
                    if (anyDense) {
                        dense[row * t.cols() + c] = weight > 0 ? sum[c] * (float) (1.0 / weight) : sum[c];
                    } else if (weight > 0) {
                        sparseValues.add((float) (sum[c] * (1.0 / weight)));
                    }
                }
                if (weight > 0) {
                    sentRows.add(row);
                }
            }
            if (anyDense) {
                out.put(name, new TableDelta.Dense(dense));
            } else {
                float[] v = new float[sparseValues.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = sparseValues.get(i);
                }
                out.put(name, new TableDelta.SparseRows(t.cols(), sentRows.stream().mapToInt(Integer::intValue).toArray(),
                        v));
            }
        }
        return new ModelUpdate(out);
    }

    /** Where row {@code row}'s values start in {@code d}, or -1 if it does not carry the row. */
    private static int offsetOf(TableDelta d, int row, int cols) {
        if (d instanceof TableDelta.Dense) {
            return row * cols;
        }
        if (d instanceof TableDelta.SparseRows s) {
            int j = Arrays.binarySearch(s.rows(), row);
            return j < 0 ? -1 : j * cols;
        }
        return -1;
    }

    static Map<String, Double> oracleMetrics(List<FitResult> results, List<ClientFailure> failures) {
        Map<String, Double> out = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        results.stream().filter(r -> r.numExamples() > 0).forEach(r -> keys.addAll(r.metrics().keySet()));
        for (String key : keys) {
            double sum = 0;
            double weight = 0;
            for (FitResult r : results) {
                Double v = r.metrics().get(key);
                if (v != null && r.numExamples() > 0) {
                    sum += r.numExamples() * v;
                    weight += r.numExamples();
                }
            }
            out.put(key, sum / weight);
        }
        long floats = 0;
        long bytes = 0;
        for (FitResult r : results) {
            floats += r.update().valueCount();
            bytes += r.update().wireBytes();
        }
        out.put("fit_clients", (double) results.size());
        out.put("fit_failures", (double) failures.size());
        out.put("uplink_floats", (double) floats);
        out.put(Aggregation.UPLINK_BYTES, (double) bytes);
        out.put(Aggregation.CLIENT_UPLINK_BYTES, results.isEmpty() ? 0.0 : (double) bytes / results.size());
        return out;
    }

    static void assertSameBits(ModelUpdate actual, ModelUpdate expected) {
        assertThat(actual.deltas().keySet()).containsExactlyElementsOf(expected.deltas().keySet());
        expected.deltas().forEach((name, e) -> {
            TableDelta a = actual.deltas().get(name);
            assertThat(a.getClass()).as(name).isEqualTo(e.getClass());
            if (e instanceof TableDelta.SparseRows es) {
                assertThat(((TableDelta.SparseRows) a).rows()).as(name).containsExactly(es.rows());
                assertThat(bits(((TableDelta.SparseRows) a).values())).as(name).containsExactly(bits(es.values()));
            } else {
                assertThat(bits(((TableDelta.Dense) a).values())).as(name)
                        .containsExactly(bits(((TableDelta.Dense) e).values()));
            }
        });
    }

    static void assertSameBits(ModelState actual, ModelState expected) {
        assertThat(actual.tables().keySet()).isEqualTo(expected.tables().keySet());
        expected.tables().forEach((name, t) ->
                assertThat(bits(actual.table(name).data())).as(name).containsExactly(bits(t.data())));
    }

    static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }
}
