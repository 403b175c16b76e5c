package org.fedrec.cli.simulate;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fedrec.cli.config.ConfigOptions;
import org.fedrec.cli.run.ConsoleProgress;
import org.fedrec.cli.run.Provenance;
import org.fedrec.cli.run.RunDirectory;
import org.fedrec.core.AsyncLoop;
import org.fedrec.core.Clock;
import org.fedrec.core.ModelState;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunListener;
import org.fedrec.core.Fleet;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.RunResult;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.config.Config;
import org.fedrec.core.strategy.Aggregation;
import org.fedrec.data.Dataset;
import org.fedrec.models.Checkpoint;
import org.fedrec.privacy.DpFedAvg;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fedrec simulate}: a federated training run with evaluation, in this JVM. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs federated training of a recommender in this JVM (one client per user by default), "
                + "evaluates it on a schedule and writes a run directory: metrics.csv/json, summary.json, "
                + "metrics.png, model.ckpt and provenance.json.", ""})
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--rounds", paramLabel = "N", description = "Shortcut for rounds=N.")
    Integer rounds;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Run directory (default runs/simulate-<date>-<time>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace fedrec's files in a non-empty run directory.")
    boolean overwrite;

    /** The generated key reference shown under --help (set as the usage footer by Main). */
    public static String[] keyReference() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Configuration keys (in --config FILE, or as KEY=VALUE arguments, which win):");
        lines.addAll(SimulateKeys.definition().describe());
        return lines.toArray(String[]::new);
    }

    @Override
    public Integer call() {
        List<String> shortcuts = rounds == null ? List.of() : List.of("rounds=" + rounds);
        Config config = configOptions.resolve(SimulateKeys.definition(), shortcuts);
        Path dir = out != null ? out : Path.of("runs", "simulate-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return run(config, dir, overwrite, commandLine());
    }

    private List<String> commandLine() {
        List<String> line = new ArrayList<>(List.of("fedrec", "simulate"));
        if (spec != null && spec.commandLine().getParseResult() != null) {
            line.addAll(spec.commandLine().getParseResult().originalArgs());
        }
        return line;
    }

    /**
     * Runs a simulation into {@code dir}; returns the exit status. With {@code early_stopping.refit} the
     * run is two phases: selection (early stopping on validation, kept in {@code dir/selection}) and a
     * fresh run on train + validation for the selected number of rounds, which fills {@code dir}.
     */
    public static int run(Config config, Path dir, boolean overwrite, List<String> commandLine) {
        var err = System.err;
        err.println("fedrec: preparing " + config.get(SimulateKeys.DATASET) + " ...");
        Simulation sim = Simulation.build(config);
        describe(sim);
        boolean refit = config.get(SimulateKeys.REFIT) && sim.hasValidation();
        if (refit && sim.differentiallyPrivate()) {
            // Training again on the same clients would spend the privacy budget a second time.
            err.println("fedrec: note: dp.enabled: no early_stopping.refit; the selection run is the reported run");
            refit = false;
        }
        if (refit && !overwrite) {
            RunDirectory.requireEmpty(dir);
        }
        Phase first = runPhase(sim, refit ? dir.resolve("selection") : dir, overwrite, config.get(SimulateKeys.ROUNDS),
                sim.stoppingRule(), commandLine);
        if (first.interrupted()) {
            return 130;
        }
        Phase reported = first;
        if (refit) {
            // mode=async records server versions; the refit runs the same number of round-equivalents.
            int perRound = sim.asynchronous() ? sim.versionsPerRound() : 1;
            int rounds = Math.max(1, first.result().bestRecord().round() / perRound);
            err.printf("fedrec: refit: training again on train + validation for the selected %d rounds%n", rounds);
            Simulation full = Simulation.build(config.with(SimulateKeys.VALIDATION.name(), false), sim.dataset());
            reported = runPhase(full, dir, true, rounds, null, commandLine);
            if (reported.interrupted()) {
                return 130;
            }
        }
        RunResult result = reported.result();
        String metric = sim.primaryMetric();
        Map<String, Double> best = result.bestRecord().evaluateMetrics();
        Map<String, Map<String, Double>> baselines = reported.baselines();
        err.printf("fedrec: %s after %d rounds; reported round %d: %s %.4f (popularity %.4f, random %.4f)%n",
                first.result().ending().name().toLowerCase().replace('_', ' '), first.result().roundsRun(),
                result.bestRecord().round(), metric, best.getOrDefault(metric, Double.NaN),
                baselines.get("popularity").getOrDefault(metric, Double.NaN),
                baselines.get("random").getOrDefault(metric, Double.NaN));
        Double simTime = result.bestRecord().fitMetrics().get(org.fedrec.core.devices.SimulatedDevicesFleet.SIM_TIME);
        if (simTime != null) {
            err.printf("fedrec: the reported %s reached it at %.1f s of simulated time%n",
                    sim.asynchronous() ? "server version" : "round", simTime);
        }
        err.println("fedrec: run directory " + dir.toAbsolutePath());
        return 0;
    }

    private static void describe(Simulation sim) {
        Dataset data = sim.dataset();
        System.err.printf("fedrec: %s: %d users, %d items, %d interactions (train %d, validation %d, test %d); "
                        + "%d clients, strategy %s%n",
                data.name(), sim.sizes().users(), sim.sizes().items(),
                data.interactions().size(), sim.sizes().train(), sim.sizes().validation(),
                sim.sizes().test(), sim.clientCount(), sim.strategyName());
        if (sim.asynchronous()) {
            Config c = sim.config();
            System.err.printf("fedrec: FedBuff: %d clients at once, a server update every %d results, staleness weight "
                            + "(1 + s)^-%s; one round = %d server versions%n", c.get(SimulateKeys.ASYNC_CONCURRENCY),
                    c.get(SimulateKeys.ASYNC_BUFFER), c.get(SimulateKeys.ASYNC_STALENESS_EXPONENT), sim.versionsPerRound());
        }
        if (data.duplicates().found() > 0) {
            System.err.println("fedrec: " + data.duplicates().summary());
        }
        String privacy = sim.privacySummary();
        if (privacy != null) {
            System.err.println("fedrec: " + privacy);
        }
        if (sim.codec() != null) {
            System.err.println("fedrec: uplink codec " + sim.codec().name()
                    + (sim.denseCodec() != sim.codec() ? " (dense tables " + sim.denseCodec().name() + ")" : "")
                    + (sim.errorFeedback() ? " with error feedback" : "") + "; the server decodes before aggregating");
        }
        if (sim.downlinkCodec() != null) {
            System.err.println("fedrec: downlink codec " + sim.downlinkCodec().name()
                    + ": training clients start from the decoded global model; the server's model stays fp32");
        }
        for (String note : data.notes()) {
            System.err.println("fedrec: note: " + note);
        }
    }

    /**
     * Puts the privacy settings under {@code "privacy"} in the summary, and after each round the ε spent so
     * far ({@code epsilon_spent}); registered before the run directory, so each summary it writes is current.
     */
    private static RunListener privacySummary(Simulation sim, RunDirectory runDir) {
        Map<String, Object> privacy = new LinkedHashMap<>(sim.privacySettings());
        privacy.put("epsilon_spent", 0.0);
        runDir.putSummary("privacy", Map.copyOf(privacy));
        return new RunListener() {
            @Override
            public void onRoundEnd(RoundRecord record, ModelState global) {
                privacy.put("epsilon_spent", record.fitMetrics().get(DpFedAvg.EPSILON_METRIC));
                runDir.putSummary("privacy", new LinkedHashMap<>(privacy));
            }
        };
    }

    /**
     * Puts the uplink and downlink totals of the rounds run so far under {@code "traffic"} in the summary
     * (with the codec and the dense fp32 size of one update for reference), after each round.
     */
    private static RunListener trafficSummary(Simulation sim, RunDirectory runDir) {
        Map<String, Object> traffic = new LinkedHashMap<>(sim.compressionSettings());
        runDir.putSummary("traffic", Map.copyOf(traffic));
        return new RunListener() {
            private long rounds;
            private double uplink;
            private double downlink;
            private double clients;

            @Override
            public void onRoundEnd(RoundRecord record, ModelState global) {
                Map<String, Double> m = record.fitMetrics();
                rounds++;
                uplink += m.getOrDefault(Aggregation.UPLINK_BYTES, 0.0);
                downlink += m.getOrDefault(RoundLoop.DOWNLINK_BYTES, 0.0);
                clients += m.getOrDefault("fit_clients", 0.0);
                traffic.put("rounds", rounds);
                traffic.put("uplink_bytes_total", uplink);
                traffic.put("downlink_bytes_total", downlink);
                traffic.put("uplink_bytes_per_round", uplink / rounds);
                traffic.put("downlink_bytes_per_round", downlink / rounds);
                traffic.put("client_uplink_bytes", clients == 0 ? 0.0 : uplink / clients);
                runDir.putSummary("traffic", new LinkedHashMap<>(traffic));
            }
        };
    }

    /** The outcome of one training run and its baselines. */
    private record Phase(RunResult result, Map<String, Map<String, Double>> baselines) {
        boolean interrupted() {
            return result.ending() == RunResult.Ending.INTERRUPTED;
        }
    }

    /** A training loop: how to run it and how to ask it to stop. */
    private record Loop(java.util.function.Function<ModelState, RunResult> run, Runnable stop) {
    }

    private static Loop roundLoop(Simulation sim, Fleet fleet, int rounds, StoppingRule rule,
                                  List<RunListener> listeners) {
        RoundLoop.Builder builder = RoundLoop.builder().strategy(sim.strategy()).fleet(fleet).random(sim.random())
                .rounds(rounds).evaluateEvery(sim.config().get(SimulateKeys.EVAL_EVERY));
        listeners.forEach(builder::listener);
        if (rule != null) {
            builder.stopping(rule);
        }
        if (sim.privacyBudget() != null) {
            builder.budget(sim.privacyBudget());
        }
        RoundLoop loop = builder.build();
        return new Loop(loop::run, loop::requestStop);
    }

    private static Loop asyncLoop(Simulation sim, Fleet fleet, int versions, StoppingRule rule,
                                  List<RunListener> listeners) {
        AsyncLoop.Builder builder = sim.asyncLoop(fleet, versions);
        listeners.forEach(builder::listener);
        if (rule != null) {
            builder.stopping(rule);
        }
        AsyncLoop loop = builder.build();
        return new Loop(loop::run, loop::requestStop);
    }

    // The run directory is closed inside its try block on purpose: before the shutdown hook is released.
    @SuppressWarnings("try")
    private static Phase runPhase(Simulation sim, Path dir, boolean overwrite, int rounds, StoppingRule rule,
                                  List<String> commandLine) {
        Config config = sim.config();
        Dataset data = sim.dataset();
        String modelName = sim.model().name();
        Map<String, String> meta = new LinkedHashMap<>();
        config.asMap().forEach((k, v) -> meta.put("config." + k, String.valueOf(v)));
        meta.put("dataset.sha256", data.sha256());
        try (RunDirectory runDir = RunDirectory.at(dir).overwrite(overwrite).bestBy(rule)
                .checkpoint((file, model) -> Checkpoint.write(file, modelName, meta, model)).open();
             ConsoleProgress progress = ConsoleProgress.forTerminal();
             Fleet fleet = sim.fleet()) {
            runDir.writeProvenance(Provenance.capture(config, config.get(SimulateKeys.SEED), data.name(), data.sha256(),
                    commandLine, Clock.system()));
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("name", data.name());
            dataset.put("users", sim.sizes().users());
            dataset.put("items", sim.sizes().items());
            dataset.put("interactions", data.interactions().size());
            dataset.put("train", sim.sizes().train());
            dataset.put("validation", sim.sizes().validation());
            dataset.put("test", sim.sizes().test());
            dataset.put("clients", sim.clientCount());
            runDir.putSummary("dataset", dataset);
            runDir.putSummary("strategy", sim.strategyName());
            Map<String, Map<String, Double>> baselines = sim.baselines();
            runDir.putSummary("baselines", baselines);
            List<RunListener> listeners = new ArrayList<>();
            if (sim.differentiallyPrivate()) {
                listeners.add(privacySummary(sim, runDir));
            }
            listeners.add(trafficSummary(sim, runDir));
            listeners.add(progress);
            listeners.add(runDir);
            Loop loop = sim.asynchronous() ? asyncLoop(sim, fleet, rounds, rule, listeners)
                    : roundLoop(sim, fleet, rounds, rule, listeners);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                loop.stop().run();
                try {
                    // Let the loop finish its round and the run directory its files before the JVM exits.
                    finished.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fedrec-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            RunResult result;
            try {
                result = loop.run().apply(sim.model().initialGlobal(sim.random()));
            } finally {
                runDir.close();
                finished.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
            return new Phase(result, baselines);
        }
    }
}
