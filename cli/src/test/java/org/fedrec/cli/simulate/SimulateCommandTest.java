package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fedrec.cli.CliException;
import org.fedrec.cli.config.ConfigFiles;
import org.fedrec.core.config.Config;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.models.Checkpoint;
import org.fedrec.privacy.DpFedAvg;
import org.fedrec.privacy.PldAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** End-to-end runs of {@code fedrec simulate} on a small synthetic shop. */
class SimulateCommandTest {

    static Config config(String... overrides) {
        List<String> all = new java.util.ArrayList<>(List.of("synthetic.users=500", "synthetic.items=300", "rounds=60",
                "eval.every=5", "threads=2"));
        all.addAll(List.of(overrides));
        return ConfigFiles.resolve(SimulateKeys.definition(), null, all);
    }

    static JsonNode summary(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void aCrossDeviceRunLearnsAndLeavesACompleteRunDirectoryWithTheSelectionRunBesideIt(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("run");
        int status = SimulateCommand.run(config(), dir, false, List.of("fedrec", "simulate"));
        assertThat(status).isZero();
        for (String f : List.of("metrics.csv", "metrics.json", "summary.json", "metrics.png", "loss.png", "model.ckpt",
                "provenance.json")) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
            assertThat(dir.resolve("selection").resolve(f)).isNotEmptyFile();
        }
        JsonNode s = summary(dir);
        double hr = s.get("metrics").get("HR@10").asDouble();
        double popularity = s.get("baselines").get("popularity").get("HR@10").asDouble();
        double random = s.get("baselines").get("random").get("HR@10").asDouble();
        assertThat(random).isBetween(0.03, 0.2);
        // A personalised model must clearly beat recommending the most popular items.
        assertThat(hr).isGreaterThan(popularity + 0.1);
        assertThat(s.get("dataset").get("clients").asInt()).isEqualTo(500);
        assertThat(s.get("strategy").asText()).isEqualTo("fedadam");
        // The refit ran exactly as many rounds as the selection run's best round.
        int selected = summary(dir.resolve("selection")).get("best_round").asInt();
        assertThat(s.get("rounds_run").asInt()).isEqualTo(selected);
        Checkpoint ckpt = Checkpoint.read(dir.resolve("model.ckpt"));
        assertThat(ckpt.modelName()).isEqualTo("mf");
        assertThat(ckpt.state().tables()).containsOnlyKeys("item_embedding", "item_bias");
        JsonNode prov = new ObjectMapper().readTree(dir.resolve("provenance.json").toFile());
        assertThat(prov.toString()).contains("\"seed\"", "synthetic");
    }

    @Test
    void theSameSeedGivesTheSameMetrics(@TempDir Path tmp) throws Exception {
        Config c = config("rounds=5", "early_stopping.refit=false", "partition=iid", "partition.clients=4");
        SimulateCommand.run(c, tmp.resolve("a"), false, List.of());
        SimulateCommand.run(c, tmp.resolve("b"), false, List.of());
        assertThat(withoutTimes(tmp.resolve("a"))).isEqualTo(withoutTimes(tmp.resolve("b")));
        assertThat(summary(tmp.resolve("a")).get("metrics")).isEqualTo(summary(tmp.resolve("b")).get("metrics"));
    }

    @Test
    void theSparkEngineGivesTheSameMetricsAndModelAsInMemory(@TempDir Path tmp) throws Exception {
        Config c = config("rounds=6", "eval.every=3", "early_stopping.refit=false", "clients_per_round=150");
        SimulateCommand.run(c, tmp.resolve("memory"), false, List.of());
        SimulateCommand.run(c.with("engine", "spark").with("engine.spark_master", "local[2]")
                .with("engine.spark_partitions", 3), tmp.resolve("spark"), false, List.of());

        assertThat(withoutTimes(tmp.resolve("spark"))).isEqualTo(withoutTimes(tmp.resolve("memory")));
        assertThat(summary(tmp.resolve("spark")).get("metrics")).isEqualTo(summary(tmp.resolve("memory")).get("metrics"));
        assertThat(Checkpoint.read(tmp.resolve("spark").resolve("model.ckpt")).state().tables())
                .isEqualTo(Checkpoint.read(tmp.resolve("memory").resolve("model.ckpt")).state().tables());
    }

    @Test
    void anUnusableSparkMasterFailsNamingTheKey(@TempDir Path tmp) {
        Config c = config("rounds=1", "engine=spark", "engine.spark_master=nowhere://x");
        assertThatThrownBy(() -> SimulateCommand.run(c, tmp.resolve("run"), false, List.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("engine.spark_master")
                .hasMessageContaining("nowhere://x");
    }

    /** metrics.csv without its last two columns (fit and evaluation seconds). */
    static List<String> withoutTimes(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("metrics.csv")).stream()
                .map(line -> line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1))).toList();
    }

    @Test
    void centralizedNeuMFAndEveryStrategyRun(@TempDir Path tmp) throws Exception {
        for (String strategy : List.of("fedavg", "fedavgm", "fedprox", "fedadam", "fedyogi", "fedadagrad")) {
            Config c = config("rounds=2", "early_stopping.refit=false", "partition=dirichlet", "partition.clients=3",
                    "strategy=" + strategy);
            assertThat(SimulateCommand.run(c, tmp.resolve(strategy), false, List.of())).isZero();
            assertThat(summary(tmp.resolve(strategy)).get("metrics").get("HR@10").asDouble()).isBetween(0.0, 1.0);
        }
        Config neumf = config("rounds=2", "model=neumf", "partition=central", "early_stopping.refit=false");
        assertThat(SimulateCommand.run(neumf, tmp.resolve("neumf"), false, List.of())).isZero();
        assertThat(Checkpoint.read(tmp.resolve("neumf").resolve("model.ckpt")).modelName()).isEqualTo("neumf");
    }

    @Test
    void textAndHybridModelsTrainFromTheItemTitlesThroughTheRealEncoder(@TempDir Path tmp) throws Exception {
        for (String run : List.of("text", "hybrid", "hybrid-personal")) {
            String model = run.replace("-personal", "");
            Config c = config("rounds=3", "model=" + model, "model.dim=16", "model.lora_rank=4", "model.id_dim=8",
                    "model.personal_adapter=" + run.endsWith("-personal"), "early_stopping.refit=false",
                    "data.cache_dir=" + tmp.resolve("cache"));
            assertThat(SimulateCommand.run(c, tmp.resolve(run), false, List.of())).isZero();
            JsonNode m = summary(tmp.resolve(run)).get("metrics");
            assertThat(m.get("HR@10").asDouble()).as(run).isBetween(0.0, 1.0);
            assertThat(Checkpoint.read(tmp.resolve(run).resolve("model.ckpt")).modelName()).isEqualTo(model);
        }
        long hybridUplink = summary(tmp.resolve("hybrid")).get("traffic").get("client_uplink_bytes").asLong();
        assertThat(summary(tmp.resolve("hybrid-personal")).get("traffic").get("client_uplink_bytes").asLong())
                .as("personal adapters stay on the device: the same tables travel").isEqualTo(hybridUplink);
        assertThat(Files.list(tmp.resolve("cache").resolve("embeddings")).count()).as("one cache file, reused").isEqualTo(1);
    }

    @Test
    void aFullRankingRunReportsRecall(@TempDir Path tmp) throws Exception {
        Config c = config("rounds=3", "split=ratio", "eval.protocol=full", "eval.k=20", "early_stopping.refit=false");
        assertThat(SimulateCommand.run(c, tmp.resolve("full"), false, List.of())).isZero();
        JsonNode m = summary(tmp.resolve("full")).get("metrics");
        assertThat(m.has("Recall@20")).isTrue();
        assertThat(m.has("NDCG@20")).isTrue();
    }

    @Test
    void aUsersOwnCsvWithOtherColumnNamesRuns(@TempDir Path tmp) throws Exception {
        // 40 users, 30 items: user u clicks items u % 30 .. u % 30 + 9 (mod 30), one per timestamp.
        StringBuilder csv = new StringBuilder("uid;iid;clicked;ts\n");
        for (int u = 0; u < 40; u++) {
            for (int k = 0; k < 10; k++) {
                csv.append("user").append(u).append(';').append("item").append((u + k) % 30).append(";1;")
                        .append(1000 + k).append('\n');
            }
        }
        Path file = tmp.resolve("clicks.csv");
        Files.writeString(file, csv);
        Config c = ConfigFiles.resolve(SimulateKeys.definition(), null, List.of("dataset=csv", "data_dir=" + file,
                "data.user_column=uid", "data.item_column=iid", "data.value_column=clicked", "data.timestamp_column=ts",
                "eval.negatives=5", "rounds=3", "early_stopping.refit=false"));
        assertThat(SimulateCommand.run(c, tmp.resolve("run"), false, List.of())).isZero();
        JsonNode s = summary(tmp.resolve("run"));
        assertThat(s.get("dataset").get("users").asInt()).isEqualTo(40);
        assertThat(s.get("dataset").get("items").asInt()).isEqualTo(30);
        assertThatThrownBy(() -> Simulation.build(c.with("data.item_column", "item_id")))
                .hasMessageContaining("item_id").hasMessageContaining("clicks.csv");
    }

    @Test
    void inconsistentSettingsAndOccupiedDirectoriesFailClearly(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> Simulation.build(config("split=ratio")))
                .isInstanceOf(CliException.class).hasMessageContaining("eval.protocol=sampled").hasMessageContaining("split=loo");
        assertThatThrownBy(() -> Simulation.build(config("dataset=csv")))
                .isInstanceOf(CliException.class).hasMessageContaining("data_dir");
        Path used = tmp.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> SimulateCommand.run(config(), used, false, List.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("not empty").hasMessageContaining("notes.txt");
        assertThat(Files.readString(used.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aPrivateRunReportsTheEpsilonSpentEachRound(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("dp");
        Config c = config("rounds=3", "eval.every=0", "clients_per_round=50", "dp.enabled=true",
                "dp.noise_multiplier=1.2", "dp.clip=0.5", "strategy.server_lr=5");
        assertThat(SimulateCommand.run(c, dir, false, List.of())).isZero();
        assertThat(dir.resolve("selection")).doesNotExist(); // no refit under DP
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        assertThat(header).contains("epsilon", "dp_noise_std", "update_norm", "clipped");
        DpFedAvg dp = new DpFedAvg(new FedAvg(FedAvg.Settings.defaults()),
                DpFedAvg.Settings.of(0.5, 1.2, 50, 500, 1e-5));
        for (int round = 1; round <= 3; round++) {
            String[] row = csv.get(round).split(",");
            assertThat(Double.parseDouble(row[header.indexOf("epsilon")]))
                    .isCloseTo(dp.epsilonAfter(round), within(1e-9));
            assertThat(Double.parseDouble(row[header.indexOf("dp_noise_std")])).isCloseTo(1.2 * 0.5 / 50, within(1e-12));
        }
    }

    @Test
    void withThePldAccountantTheRunReportsThePldEpsilon(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pld");
        Config c = config("rounds=3", "eval.every=0", "clients_per_round=50", "dp.enabled=true",
                "dp.noise_multiplier=1.2", "dp.clip=0.5", "strategy.server_lr=5", "dp.accountant=pld");
        assertThat(SimulateCommand.run(c, dir, false, List.of())).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        int column = List.of(csv.get(0).split(",")).indexOf("epsilon");
        for (int round = 1; round <= 3; round++) {
            double pld = PldAccountant.create().compose(0.1, 1.2, round).epsilon(1e-5);
            assertThat(Double.parseDouble(csv.get(round).split(",")[column])).isCloseTo(pld, within(1e-9));
        }
        JsonNode privacy = summary(dir).get("privacy");
        assertThat(privacy.get("accountant").asText()).isEqualTo("pld");
        assertThatThrownBy(() -> Simulation.build(config("dp.enabled=true", "dp.accountant=pld",
                "dp.noise_multiplier=0.001", "clients_per_round=50")))
                .isInstanceOf(CliException.class).hasMessageContaining("dp.accountant=pld")
                .hasMessageContaining("dp.noise_multiplier=0.001").hasMessageContaining("grid points");
    }

    @Test
    void aPrivateRunThatWouldExceedItsBudgetRefusesToStart() {
        DpFedAvg dp = new DpFedAvg(new FedAvg(FedAvg.Settings.defaults()), DpFedAvg.Settings.of(1.0, 1.0, 50, 500, 1e-5));
        long affordable = dp.roundsWithin(3.0);
        assertThat(affordable).isBetween(1L, 59L);
        assertThatThrownBy(() -> Simulation.build(config("dp.enabled=true", "dp.epsilon_budget=3", "clients_per_round=50")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("dp.epsilon_budget=3.0")
                .hasMessageContaining("rounds=60")
                .hasMessageContaining(String.format(java.util.Locale.ROOT, "epsilon=%.4g", dp.epsilonAfter(60)))
                .hasMessageContaining("at most " + affordable + " rounds");
        assertThat(Simulation.build(config("dp.enabled=true", "dp.epsilon_budget=3", "clients_per_round=50",
                "rounds=" + affordable)).differentiallyPrivate()).isTrue();
    }

    @Test
    void withOnBudgetStopARunEndsCleanlyAfterTheLastRoundWithinTheBudget(@TempDir Path tmp) throws Exception {
        // Poisson sampling at q = 50 / 500 with adaptive clipping; the budget affords fewer than the 60 rounds.
        DpFedAvg dp = new DpFedAvg(new FedAvg(FedAvg.Settings.defaults()), DpFedAvg.Settings.of(1.0, 1.5, 50, 500, 1e-5));
        long affordable = dp.roundsWithin(2.0);
        assertThat(affordable).isBetween(2L, 59L);
        Path dir = tmp.resolve("stop");
        Config c = config("dp.enabled=true", "dp.epsilon_budget=2", "dp.on_budget=stop", "clients_per_round=50",
                "dp.noise_multiplier=1.5",
                "dp.sampling=poisson", "dp.adaptive_clip=true", "eval.every=0", "early_stopping.patience=0");
        assertThat(SimulateCommand.run(c, dir, false, List.of())).isZero();

        JsonNode s = summary(dir);
        assertThat(s.get("ending").asText()).isEqualTo("BUDGET_EXHAUSTED");
        assertThat(s.get("rounds_run").asLong()).isEqualTo(affordable);
        JsonNode privacy = s.get("privacy");
        assertThat(privacy.get("epsilon_spent").asDouble()).isLessThanOrEqualTo(2.0)
                .isCloseTo(dp.epsilonAfter(affordable), within(1e-9));
        assertThat(privacy.get("sampling").asText()).isEqualTo("poisson");
        assertThat(privacy.get("sampling_rate").asDouble()).isEqualTo(0.1);
        // The last round the budget allowed was evaluated and is the reported one.
        assertThat(s.get("best_round").asLong()).isEqualTo(affordable);
        assertThat(s.get("metrics").get("HR@10").asDouble()).isPositive();
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertThat(csv).hasSize((int) affordable + 1);
        List<String> header = List.of(csv.get(0).split(","));
        assertThat(header).contains("dp_clip", "dp_unclipped_fraction");
        // Poisson cohorts vary in size around 50.
        java.util.Set<String> sizes = new java.util.HashSet<>();
        for (String row : csv.subList(1, csv.size())) {
            sizes.add(row.split(",")[header.indexOf("fit_clients")]);
        }
        assertThat(sizes).hasSizeGreaterThan(1);
        assertThat(dir.resolve("model.ckpt")).isNotEmptyFile();

        // A budget that does not afford even one round is refused before start, whatever dp.on_budget says.
        assertThatThrownBy(() -> Simulation.build(config("dp.enabled=true", "dp.epsilon_budget=0.1",
                "dp.on_budget=stop", "clients_per_round=50")))
                .isInstanceOf(CliException.class).hasMessageContaining("not even 1 round");
    }

    @Test
    void adaptiveClippingNeedsCountNoiseAboveHalfTheNoiseMultiplier() {
        assertThatThrownBy(() -> Simulation.build(config("dp.enabled=true", "dp.adaptive_clip=true",
                "clients_per_round=10", "dp.noise_multiplier=2")))
                .isInstanceOf(CliException.class).hasMessageContaining("dp.clip_count_stddev=0.5")
                .hasMessageContaining("expected clients per round / 20").hasMessageContaining("dp.noise_multiplier=2.0");
    }

    @Test
    void localNoiseGivesEachClientsEpsilonInTheMetrics(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("local");
        Config c = config("rounds=2", "eval.every=0", "clients_per_round=20", "dp.enabled=true",
                "dp.noise_multiplier=0", "dp.local_noise_multiplier=4", "early_stopping.patience=0");
        assertThat(SimulateCommand.run(c, dir, false, List.of())).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        String[] last = csv.get(2).split(",");
        assertThat(Double.parseDouble(last[header.indexOf("local_epsilon")]))
                .isCloseTo(org.fedrec.privacy.LocalGaussianNoise.epsilon(4, 1, 1e-5), within(1e-9));
        double worst = Double.parseDouble(last[header.indexOf("local_epsilon_worst")]);
        // 20 of 500 clients twice: some client may have taken part in both rounds.
        assertThat(worst).isIn(org.fedrec.privacy.LocalGaussianNoise.epsilon(4, 1, 1e-5),
                org.fedrec.privacy.LocalGaussianNoise.epsilon(4, 2, 1e-5));
        assertThat(last[header.indexOf("epsilon")]).isEqualTo("Infinity");
    }
}
