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

import org.fedrec.cli.config.ConfigFiles;
import org.fedrec.cli.run.ConsoleProgress;
import org.fedrec.cli.run.Provenance;
import org.fedrec.cli.run.RunDirectory;
import org.fedrec.core.Clock;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.RunResult;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.config.Config;
import org.fedrec.data.Dataset;
import org.fedrec.models.Checkpoint;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML or JSON file of configuration keys.")
    Path configFile;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Shortcut for dataset=NAME.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Shortcut for data_dir=DIR.")
    String dataDir;

    @Option(names = "--rounds", paramLabel = "N", description = "Shortcut for rounds=N.")
    Integer rounds;

    @Option(names = "--seed", paramLabel = "N", description = "Shortcut for seed=N.")
    Long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Run directory (default runs/simulate-<date>-<time>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace fedrec's files in a non-empty run directory.")
    boolean overwrite;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Configuration overrides.")
    List<String> overrides = new ArrayList<>();

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
        List<String> all = new ArrayList<>();
        if (dataset != null) {
            all.add("dataset=" + dataset);
        }
        if (dataDir != null) {
            all.add("data_dir=" + dataDir);
        }
        if (rounds != null) {
            all.add("rounds=" + rounds);
        }
        if (seed != null) {
            all.add("seed=" + seed);
        }
        all.addAll(overrides);
        Config config = ConfigFiles.resolve(SimulateKeys.definition(), configFile, all);
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

    /** Runs a simulation into {@code dir}; returns the exit status. */
    public static int run(Config config, Path dir, boolean overwrite, List<String> commandLine) {
        var err = System.err;
        err.println("fedrec: preparing " + config.get(SimulateKeys.DATASET) + " ...");
        Simulation sim = Simulation.build(config);
        Dataset data = sim.dataset();
        err.printf("fedrec: %s: %d users, %d items, %d interactions (train %d, validation %d, test %d); %d clients%n",
                data.name(), sim.split().train().numUsers(), sim.split().train().numItems(),
                data.interactions().size(), sim.split().train().size(), sim.split().validation().size(),
                sim.split().test().size(), sim.partition().size());
        if (data.duplicates().found() > 0) {
            err.println("fedrec: " + data.duplicates());
        }
        StoppingRule rule = sim.stoppingRule();
        String modelName = sim.model().name();
        Map<String, String> meta = new LinkedHashMap<>();
        config.asMap().forEach((k, v) -> meta.put("config." + k, String.valueOf(v)));
        meta.put("dataset.sha256", data.sha256());
        try (RunDirectory runDir = RunDirectory.at(dir).overwrite(overwrite).bestBy(rule)
                .checkpoint((file, model) -> Checkpoint.write(file, modelName, meta, model)).open();
             ConsoleProgress progress = ConsoleProgress.forTerminal();
             InMemoryFleet fleet = new InMemoryFleet(sim.clientFactory(), sim.clientIds(), sim.random(), sim.threads())) {
            runDir.writeProvenance(Provenance.capture(config, config.get(SimulateKeys.SEED), data.name(), data.sha256(),
                    commandLine, Clock.system()));
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("name", data.name());
            dataset.put("users", sim.split().train().numUsers());
            dataset.put("items", sim.split().train().numItems());
            dataset.put("interactions", data.interactions().size());
            dataset.put("clients", sim.partition().size());
            runDir.putSummary("dataset", dataset);
            Map<String, Map<String, Double>> baselines = sim.baselines();
            runDir.putSummary("baselines", baselines);
            RoundLoop loop = RoundLoop.builder().strategy(sim.strategy()).fleet(fleet).random(sim.random())
                    .rounds(config.get(SimulateKeys.ROUNDS)).evaluateEvery(config.get(SimulateKeys.EVAL_EVERY))
                    .stopping(rule).listener(progress).listener(runDir).build();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                loop.requestStop();
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
                result = loop.run(sim.model().initialGlobal(sim.random()));
            } finally {
                runDir.close();
                finished.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us.
            }
            String metric = sim.primaryMetric();
            Map<String, Double> best = result.bestRecord().evaluateMetrics();
            err.printf("fedrec: %s after %d rounds; best round %d: %s %.4f (popularity %.4f, random %.4f)%n",
                    result.ending().name().toLowerCase().replace('_', ' '), result.roundsRun(),
                    result.bestRecord().round(), metric, best.getOrDefault(metric, Double.NaN),
                    baselines.get("popularity").getOrDefault(metric, Double.NaN),
                    baselines.get("random").getOrDefault(metric, Double.NaN));
            err.println("fedrec: run directory " + runDir.path().toAbsolutePath());
            return 0;
        }
    }
}
