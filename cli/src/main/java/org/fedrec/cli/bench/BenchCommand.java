package org.fedrec.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fedrec.cli.CliException;
import org.fedrec.cli.config.ConfigOptions;
import org.fedrec.cli.run.CodeVersion;
import org.fedrec.core.io.AtomicFiles;
import org.fedrec.cli.run.internal.Json;
import org.fedrec.cli.simulate.SimulateKeys;
import org.fedrec.cli.simulate.Simulation;
import org.fedrec.core.config.Config;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.DatasetFetcher;
import org.fedrec.data.DatasetReaders;
import org.fedrec.models.TrainSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedrec bench}: the cost of federation on one dataset, measured through simulate's own code path
 * (the same configuration keys, {@link Simulation}, {@code RoundLoop}, strategy and the fleet {@code engine}
 * names), with evaluation off:
 * <ol>
 *   <li>a centralized epoch: {@code partition=central}, one client holding every user;</li>
 *   <li>a federated round: {@code partition=per_user}, every client trains (one per user), then the
 *       strategy (FedAvg by default) aggregates.</li>
 * </ol>
 * Each is run {@code --warmup} times unmeasured, then {@code --repeat} times; the median and the minimum
 * are reported with the centralized epoch's training triples per second and the ratio federated round /
 * centralized epoch. Wall-clock timings of a shared machine: compare ratios, not absolute times.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times one centralized epoch (partition=central) and one federated round with every client "
                + "(partition=per_user) through the same code as simulate, evaluation off; prints medians, minima, "
                + "training triples/s and the ratio federated round / centralized epoch.",
                "Dataset: as in simulate (dataset=..., data_dir=...); without them a directory given by --data-dir is "
                        + "detected, else a fetched ml-100k in the cache is used, else the synthetic shop.",
                "KEY=VALUE: any key of simulate (see 'fedrec simulate --help').", ""})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "Unmeasured repetitions of each measurement first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "20",
            description = "Measured repetitions of each measurement (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Also write DIR/bench.json.")
    Path out;

    @Override
    public Integer call() {
        if (warmup < 0 || repeat < 1) {
            throw new CliException("--warmup must be >= 0 and --repeat >= 1, found " + warmup + " and " + repeat);
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        Config config = resolve(err);
        String datasetName = config.get(SimulateKeys.DATASET);
        err.println("fedrec: preparing " + datasetName + " ...");
        err.flush();
        Simulation central = Simulation.build(config.with(SimulateKeys.PARTITION.name(), "central"));
        Config fedConfig = config.with(SimulateKeys.PARTITION.name(), "per_user")
                .with(SimulateKeys.CLIENTS_PER_ROUND.name(), 0).with(SimulateKeys.CLIENT_FRACTION.name(), 1.0);
        Simulation federated = Simulation.build(fedConfig, central.dataset());
        double loadBefore = loadAverage();
        err.printf("fedrec: timing %d + %d centralized epochs ...%n", warmup, repeat);
        err.flush();
        PhaseTimer.Timings epoch = PhaseTimer.run(central, warmup, repeat);
        err.printf("fedrec: timing %d + %d federated rounds of %d clients ...%n", warmup, repeat,
                federated.clientCount());
        err.flush();
        PhaseTimer.Timings round = PhaseTimer.run(federated, warmup, repeat);
        double loadAfter = loadAverage();

        Report report = new Report(config, central, federated, epoch, round, loadBefore, loadAfter);
        report.print(outWriter);
        outWriter.flush();
        if (out != null) {
            Path file = out.resolve("bench.json");
            try {
                Files.createDirectories(out);
                AtomicFiles.write(file, Json.bytes(report.toJson(warmup, repeat)));
            } catch (IOException e) {
                throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
            }
            err.println("fedrec: wrote " + file.toAbsolutePath());
        }
        return 0;
    }

    /**
     * simulate's configuration, with the dataset defaulted: what the user named, else the format of
     * {@code data_dir} when given, else a verified ml-100k in the fetch cache, else the synthetic shop.
     */
    private Config resolve(PrintWriter err) {
        Config config = options.resolve(SimulateKeys.definition(), List.of());
        if (!options.names(SimulateKeys.STRATEGY.name())) {
            // Federation's cost under plain FedAvg unless asked otherwise (simulate may pick another per partition).
            config = config.with(SimulateKeys.STRATEGY.name(), "fedavg");
        }
        if (options.names(SimulateKeys.DATASET.name())) {
            return config;
        }
        String dir = config.get(SimulateKeys.DATA_DIR);
        if (dir != null) {
            try {
                return config.with(SimulateKeys.DATASET.name(), DatasetReaders.detect(Path.of(dir)));
            } catch (DataFormatException e) {
                throw new CliException(e.getMessage() + "; name the format with dataset=FORMAT", e);
            }
        }
        Path cacheDir = Simulation.cacheDir(config);
        Path cached = cacheDir.resolve("ml-100k");
        if (hasVerifiedMl100k(cacheDir)) {
            return config.with(SimulateKeys.DATASET.name(), "ml-100k").with(SimulateKeys.DATA_DIR.name(),
                    cached.toString());
        }
        err.println("fedrec: no dataset named and no ml-100k in " + cached.getParent()
                + " (fedrec data fetch ml-100k, or --data-dir DIR): using the synthetic shop");
        return config.with(SimulateKeys.DATASET.name(), "synthetic");
    }

    private static boolean hasVerifiedMl100k(Path cacheDir) {
        try {
            return DatasetFetcher.grouplens().hasVerifiedCopy("ml-100k", cacheDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset cache " + cacheDir, e);
        }
    }

    /** The system load average over the last minute, or NaN where the platform has none. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The measurements, as a table for people and as bench.json. */
    private record Report(Config config, Simulation central, Simulation federated, PhaseTimer.Timings epoch,
                          PhaseTimer.Timings round, double loadBefore, double loadAfter) {

        double ratio(boolean median) {
            long[] f = round.roundNanos();
            long[] c = epoch.roundNanos();
            return median ? PhaseTimer.Timings.medianMillis(f) / PhaseTimer.Timings.medianMillis(c)
                    : PhaseTimer.Timings.minMillis(f) / PhaseTimer.Timings.minMillis(c);
        }

        void print(PrintWriter w) {
            var train = central.sizes();
            w.printf(Locale.ROOT, "dataset %s: %d users, %d items, %d training pairs%n", central.dataset().name(),
                    train.users(), train.items(), train.train());
            TrainSettings t = round.training();
            w.printf(Locale.ROOT, "model %s d=%d, loss %s, %d negatives, %s lr %s, %d local epoch(s); "
                            + "%s over %d worker thread(s), %d cores%n", central.model().name(),
                    config.get(SimulateKeys.DIM), lower(t.loss()), t.negatives(), lower(t.optimizer()), t.lr(),
                    t.epochs(), round.strategy(), federated.threads(), Runtime.getRuntime().availableProcessors());
            w.printf(Locale.ROOT, "%-20s %8s %21s %21s %21s %14s%n", "", "clients", "fit ms (median/min)",
                    "aggregate ms", "total ms", "triples/s");
            row(w, "centralized epoch", epoch);
            row(w, "federated round", round);
            w.printf(Locale.ROOT, "federated round / centralized epoch: %.2f (median), %.2f (min)%n", ratio(true),
                    ratio(false));
            if (round.uplinkFloats() >= 0 && epoch.uplinkFloats() >= 0) {
                w.printf(Locale.ROOT, "uplink floats per round: %d federated, %d centralized (%.1fx)%n",
                        round.uplinkFloats(), epoch.uplinkFloats(), round.uplinkFloats() / (double) epoch.uplinkFloats());
            }
            w.printf(Locale.ROOT, "load average: %.2f before, %.2f after%n", loadBefore, loadAfter);
        }

        private static String lower(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }

        private static void row(PrintWriter w, String name, PhaseTimer.Timings t) {
            w.printf(Locale.ROOT, "%-20s %8d %21s %21s %21s %14.0f%n", name, t.clients(), pair(t.fitNanos()),
                    pair(t.aggregateNanos()), pair(t.roundNanos()), t.triplesPerSecond());
        }

        private static String pair(long[] nanos) {
            return String.format(Locale.ROOT, "%.1f / %.1f", PhaseTimer.Timings.medianMillis(nanos),
                    PhaseTimer.Timings.minMillis(nanos));
        }

        Map<String, Object> toJson(int warmup, int repeat) {
            Map<String, Object> json = new LinkedHashMap<>();
            var train = central.sizes();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", central.dataset().name());
            data.put("sha256", central.dataset().sha256());
            data.put("users", train.users());
            data.put("items", train.items());
            data.put("training_pairs", train.train());
            json.put("dataset", data);
            json.put("warmup", warmup);
            json.put("repeat", repeat);
            json.put("centralized_epoch", phase(epoch, 1));
            json.put("federated_round", phase(round, federated.threads()));
            json.put("ratio_federated_round_to_centralized_epoch", ratio(true));
            json.put("ratio_min", ratio(false));
            Map<String, Object> machine = new LinkedHashMap<>();
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("load_average_before", loadBefore);
            machine.put("load_average_after", loadAfter);
            machine.put("java", System.getProperty("java.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            json.put("machine", machine);
            json.put("code_version", CodeVersion.current().describe());
            json.put("config", config.asMap());
            return json;
        }

        private static Map<String, Object> phase(PhaseTimer.Timings t, int threads) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", t.strategy());
            m.put("training", t.training().toRoundConfig().values());
            m.put("clients", t.clients());
            m.put("threads", Math.min(threads, t.clients()));
            m.put("triples", t.triplesPerRound());
            m.put("triples_per_s", t.triplesPerSecond());
            m.put("uplink_floats", t.uplinkFloats());
            m.put("fit_ms", millis(t.fitNanos()));
            m.put("aggregate_ms", millis(t.aggregateNanos()));
            m.put("total_ms", millis(t.roundNanos()));
            return m;
        }

        private static Map<String, Object> millis(long[] nanos) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("median", PhaseTimer.Timings.medianMillis(nanos));
            m.put("min", PhaseTimer.Timings.minMillis(nanos));
            m.put("samples", Arrays.stream(nanos).mapToDouble(n -> n / 1e6).boxed().toList());
            return m;
        }
    }
}
