package org.fedrec.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

import org.apache.spark.api.java.JavaSparkContext;
import org.fedrec.core.ClientSampler;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.Fleet;
import org.fedrec.core.FloatTable;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Responses;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunResult;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.Strategy;
import org.fedrec.core.strategy.FedAdam;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.FedOpt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark fleet on a real embedded Spark ({@code local[2]}, bound to 127.0.0.1) against the in-memory
 * fleet: the same seed must give bit-for-bit the same models and metrics.
 */
class SparkFleetTest {

    private static final long SEED = 7;
    private static final ShopPopulation SHOP = new ShopPopulation(300, 400, SEED);

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkFleet.startContext("local[2]");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static Strategy fedAdam(int clientsPerRound) {
        FedAvg.Settings s = FedAvg.Settings.defaults().withFitSampler(ClientSampler.count(clientsPerRound))
                .withServerLearningRate(0.05);
        return new FedAdam(s, new FedOpt.Hyper(0.9, 0.99, 1e-3));
    }

    /** Rounds of FedAdam over {@code fleet}, evaluating every 2 rounds; records which clients trained. */
    private static RunResult run(Fleet fleet, int rounds, List<Set<String>> sampled) {
        Strategy strategy = new SamplingRecorder(fedAdam(100), sampled);
        return RoundLoop.builder().strategy(strategy).fleet(fleet).random(RandomSource.seeded(SEED)).rounds(rounds)
                .evaluateEvery(2).build().run(SHOP.model().initialGlobal(RandomSource.seeded(SEED)));
    }

    private static long checksum(ModelState state) {
        CRC32C crc = new CRC32C();
        state.tables().forEach((name, t) -> {
            crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (float v : t.data()) {
                int bits = Float.floatToRawIntBits(v);
                crc.update(new byte[]{(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
            }
        });
        return crc.getValue();
    }

    @Test
    void sameSeedGivesTheSameModelsAndMetricsAsInMemory() {
        List<Set<String>> memorySampled = new ArrayList<>();
        RunResult memory;
        try (InMemoryFleet fleet = inMemory()) {
            memory = run(fleet, 4, memorySampled);
        }
        List<Set<String>> sparkSampled = new ArrayList<>();
        RunResult onSpark;
        try (SparkFleet fleet = new SparkFleet(spark, SHOP, RandomSource.seeded(SEED), 3)) {
            onSpark = run(fleet, 4, sparkSampled);
        }

        Map<String, Double> last = memory.history().get(3).evaluateMetrics();
        System.out.printf("in-memory HR@10=%s NDCG@10=%s checksum=%x; spark HR@10=%s NDCG@10=%s checksum=%x%n",
                last.get("HR@10"), last.get("NDCG@10"), checksum(memory.last()),
                onSpark.history().get(3).evaluateMetrics().get("HR@10"),
                onSpark.history().get(3).evaluateMetrics().get("NDCG@10"), checksum(onSpark.last()));
        assertThat(last).containsKeys("HR@10", "NDCG@10");
        assertThat(last.get("HR@10")).isGreaterThan(0.0);
        // The clients trained more than once, so private state carried across rounds was exercised.
        assertThat(sampledMoreThanOnce(memorySampled)).isNotEmpty();
        assertThat(sparkSampled).isEqualTo(memorySampled);
        assertThat(memory.last()).isNotEqualTo(SHOP.model().initialGlobal(RandomSource.seeded(SEED)));

        assertThat(onSpark.last().tables()).isEqualTo(memory.last().tables());
        assertThat(checksum(onSpark.last())).isEqualTo(checksum(memory.last()));
        for (int r = 0; r < 4; r++) {
            RoundRecord m = memory.history().get(r);
            RoundRecord s = onSpark.history().get(r);
            assertThat(s.fitMetrics()).as("fit metrics of round %d", r + 1).isEqualTo(m.fitMetrics());
            assertThat(s.evaluateMetrics()).as("evaluation metrics of round %d", r + 1).isEqualTo(m.evaluateMetrics());
        }
    }

    @Test
    void resultsDoNotDependOnThePartitioning() {
        List<Set<String>> ignored = new ArrayList<>();
        ModelState one;
        try (SparkFleet fleet = new SparkFleet(spark, SHOP, RandomSource.seeded(SEED), 1)) {
            one = run(fleet, 2, ignored).last();
        }
        ModelState five;
        try (SparkFleet fleet = new SparkFleet(spark, SHOP, RandomSource.seeded(SEED), 5)) {
            five = run(fleet, 2, ignored).last();
        }
        assertThat(five.tables()).isEqualTo(one.tables());
    }

    @Test
    void resultsComeBackInInstructionOrder() {
        try (SparkFleet fleet = new SparkFleet(spark, SHOP, RandomSource.seeded(SEED), 3)) {
            List<String> ids = new ArrayList<>(fleet.availableClients().subList(0, 12));
            Collections.reverse(ids);
            Responses<FitResult> r = fleet.fit(1, instructions(ids));

            assertThat(r.failures()).isEmpty();
            assertThat(r.results()).extracting(FitResult::clientId).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void aFailingOrUnknownClientIsReportedAsAFailureNotAnException() {
        try (SparkFleet fleet = new SparkFleet(spark, SHOP.failing("u2"), RandomSource.seeded(SEED), 2)) {
            List<String> ids = List.of(fleet.availableClients().get(0), "u2", "nobody", fleet.availableClients().get(3));
            Responses<FitResult> r = fleet.fit(3, instructions(ids));

            assertThat(r.results()).extracting(FitResult::clientId).containsExactly(ids.get(0), ids.get(3));
            assertThat(r.failures()).hasSize(2);
            assertThat(r.failures().get(0).toString()).isEqualTo(
                    "client u2 failed fit in round 3: IllegalArgumentException: client 'u2' cannot be built");
            assertThat(r.failures().get(1).toString()).contains("client nobody failed fit in round 3")
                    .contains("no client 'nobody' among the Spark fleet's 300 clients");
        }
    }

    @Test
    void aBlankMasterIsRefusedNamingWhatWasFound() {
        assertThatThrownBy(() -> SparkFleet.startContext(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local[*]").hasMessageContaining("found ' '");
    }

    private static InMemoryFleet inMemory() {
        SparkPopulation.Clients clients = SHOP.build();
        return new InMemoryFleet(clients.factory(clients.newPrivateStates()), clients.clientIds(),
                RandomSource.seeded(SEED), 2);
    }

    private static List<FitInstruction> instructions(List<String> ids) {
        ModelState global = SHOP.model().initialGlobal(RandomSource.seeded(SEED));
        RoundConfig config = RoundConfig.EMPTY;
        return ids.stream().map(id -> new FitInstruction(id, global, config)).toList();
    }

    private static Set<String> sampledMoreThanOnce(List<Set<String>> rounds) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> again = new LinkedHashSet<>();
        for (Set<String> r : rounds) {
            for (String id : r) {
                if (!seen.add(id)) {
                    again.add(id);
                }
            }
        }
        return again;
    }

    /** Passes through to a strategy, recording the clients chosen to train each round. */
    private record SamplingRecorder(Strategy delegate, List<Set<String>> sampled) implements Strategy {
        @Override
        public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                                 RandomSource random) {
            List<FitInstruction> ins = delegate.configureFit(round, global, available, random);
            sampled.add(new LinkedHashSet<>(ins.stream().map(FitInstruction::clientId).toList()));
            return ins;
        }

        @Override
        public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results,
                                      List<org.fedrec.core.ClientFailure> failures) {
            return delegate.aggregateFit(round, global, results, failures);
        }

        @Override
        public List<org.fedrec.core.EvaluateInstruction> configureEvaluate(int round, ModelState global,
                                                                           List<String> available, RandomSource random) {
            return delegate.configureEvaluate(round, global, available, random);
        }

        @Override
        public Map<String, Double> aggregateEvaluate(int round, List<org.fedrec.core.EvaluateResult> results,
                                                     List<org.fedrec.core.ClientFailure> failures) {
            return delegate.aggregateEvaluate(round, results, failures);
        }
    }
}
