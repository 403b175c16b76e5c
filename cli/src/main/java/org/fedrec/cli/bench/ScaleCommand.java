package org.fedrec.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.fedrec.cli.CliException;
import org.fedrec.cli.config.ConfigOptions;
import org.fedrec.cli.simulate.SimulateKeys;
import org.fedrec.cli.simulate.Simulation;
import org.fedrec.core.Strategy;
import org.fedrec.core.config.Config;
import org.fedrec.data.Interactions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedrec scale}: training throughput and memory against population size on the synthetic shop, through
 * simulate's code path ({@link Simulation}, the round loop, the configured strategy, the in-memory fleet),
 * evaluation off. For each population size the shop is generated and the simulation built once; the heap
 * after a full GC, divided by the population, is the memory per virtual client, broken down into the client
 * store (local data and bookkeeping), the private state (user embeddings), the raw dataset kept by the
 * simulation (estimated from its array sizes), and the rest (evaluation candidates, item
 * catalog, model). Then for each cohort size {@code warmup} rounds are run unmeasured and {@code repeat}
 * measured; the median round gives rounds/s and client updates/s. Peak heap is the sum of the heap pools'
 * peak usage over the rounds (an upper bound: pools peak at different moments). Cohorts larger than the
 * population are skipped, and so are cohorts whose updates would not fit the heap together when the strategy
 * does not {@linkplain Strategy#streamingFit stream} (a decorated one, e.g. with DP).
 */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rounds/s, client updates/s and memory per virtual client against population size and "
                + "clients per round, on the synthetic shop (one client per user), evaluation off.",
                "KEY=VALUE: any key of simulate (e.g. synthetic.items=5000, threads=2).", ""})
public final class ScaleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--users", paramLabel = "N,...", split = ",", defaultValue = "10000,100000,1000000",
            description = "Population sizes (default ${DEFAULT-VALUE}).")
    List<Integer> users;

    @Option(names = "--per-round", paramLabel = "M,...", split = ",", defaultValue = "1000,10000,100000",
            description = "Clients per round (default ${DEFAULT-VALUE}).")
    List<Integer> perRound;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Unmeasured rounds before each measurement (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Measured rounds per cell (default ${DEFAULT-VALUE}).")
    int repeat;

    /** One measured cell, or a skipped one with the reason. */
    record Cell(int population, int perRound, double medianSeconds, double peakHeapMb, String skipped) {
    }

    /** Memory of one population after building it. */
    record Memory(int population, long heapBytes, long storeBytes, long privateBytes, long datasetBytes) {
        double perClient(long bytes) {
            return bytes / (double) population;
        }
    }

    @Override
    public Integer call() {
        if (warmup < 0 || repeat < 1) {
            throw new CliException("--warmup must be >= 0 and --repeat >= 1, found " + warmup + " and " + repeat);
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Config base = options.resolve(SimulateKeys.definition(), List.of()).with(SimulateKeys.DATASET.name(), "synthetic")
                .with(SimulateKeys.PARTITION.name(), "per_user");
        List<Cell> cells = new ArrayList<>();
        List<Memory> memory = new ArrayList<>();
        for (int n : users) {
            long before = usedAfterGc();
            err.printf(Locale.ROOT, "fedrec: building a population of %d clients ...%n", n);
            err.flush();
            Simulation sim = Simulation.build(base.with(SimulateKeys.SYNTH_USERS.name(), n));
            long heap = usedAfterGc() - before;
            Memory m = new Memory(sim.clientCount(), heap, sim.clientStore().bytes(), sim.privateStateBytes(),
                    datasetBytes(sim));
            memory.add(m);
            err.printf(Locale.ROOT, "fedrec: %d clients: %.0f MB after GC, %.0f bytes per client%n", m.population(),
                    heap / 1e6, m.perClient(heap));
            double updateBytes = 0; // per client, measured by the previous cell of this population
            for (int k : perRound) {
                if (k > sim.clientCount()) {
                    cells.add(new Cell(n, k, Double.NaN, Double.NaN, "more clients per round than the "
                            + sim.clientCount() + " clients"));
                    continue;
                }
                // A strategy that streams folds each update as it arrives; otherwise a round holds every update
                // until the strategy aggregates them: refuse a cohort whose updates alone would not fit in the free
                // heap (1.5 x their fp32 wire size, for object overhead).
                Strategy strategy = sim.strategy(k);
                boolean streams = strategy.streamingFit(1, sim.model().initialGlobal(sim.random())).isPresent();
                long free = Runtime.getRuntime().maxMemory() - heap - before;
                if (!streams && updateBytes > 0 && 1.5 * updateBytes * k > 0.8 * free) {
                    cells.add(new Cell(n, k, Double.NaN, Double.NaN, String.format(Locale.ROOT,
                            "its %d updates of ~%.0f kB each are held together for aggregation (~%.1f GB; %s does not "
                                    + "stream) and do not fit the %.1f GB of free heap", k, updateBytes / 1e3,
                            1.5 * updateBytes * k / 1e9, strategy.getClass().getSimpleName(), free / 1e9)));
                    continue;
                }
                err.printf(Locale.ROOT, "fedrec: timing %d + %d rounds of %d clients ...%n", warmup, repeat, k);
                err.flush();
                resetPeaks();
                PhaseTimer.Timings t = PhaseTimer.run(sim, strategy, warmup, repeat);
                double seconds = PhaseTimer.Timings.medianMillis(t.roundNanos()) / 1e3;
                updateBytes = t.uplinkFloats() > 0 ? 4.0 * t.uplinkFloats() / t.clients() : 0;
                cells.add(new Cell(n, k, seconds, peakHeap() / 1e6, null));
                err.printf(Locale.ROOT, "fedrec:   %.3f s per round%n", seconds);
            }
            sim = null; // let the population go before building the next
        }
        print(out, cells, memory);
        out.flush();
        return 0;
    }

    private void print(PrintWriter w, List<Cell> cells, List<Memory> memory) {
        w.printf(Locale.ROOT, "%d cores, max heap %.1f GB, load average %.2f; median of %d rounds after %d warm-up%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), repeat, warmup);
        w.printf(Locale.ROOT, "%-11s %-10s %12s %10s %18s %14s%n", "population", "per round", "s / round", "rounds/s",
                "client updates/s", "peak heap MB");
        for (Cell c : cells) {
            if (c.skipped() != null) {
                w.printf(Locale.ROOT, "%-11d %-10d skipped: %s%n", c.population(), c.perRound(), c.skipped());
            } else {
                w.printf(Locale.ROOT, "%-11d %-10d %12.3f %10.3f %18.0f %14.0f%n", c.population(), c.perRound(),
                        c.medianSeconds(), 1 / c.medianSeconds(), c.perRound() / c.medianSeconds(), c.peakHeapMb());
            }
        }
        w.printf(Locale.ROOT, "%nmemory per virtual client, bytes (heap after GC / clients):%n");
        w.printf(Locale.ROOT, "%-11s %10s %8s %14s %14s %16s %8s%n", "population", "heap MB", "total", "client store",
                "private state", "dataset", "rest");
        for (Memory m : memory) {
            long rest = m.heapBytes() - m.storeBytes() - m.privateBytes() - m.datasetBytes();
            w.printf(Locale.ROOT, "%-11d %10.0f %8.0f %14.0f %14.0f %16.0f %8.0f%n", m.population(), m.heapBytes() / 1e6,
                    m.perClient(m.heapBytes()), m.perClient(m.storeBytes()), m.perClient(m.privateBytes()),
                    m.perClient(m.datasetBytes()), m.perClient(rest));
        }
    }

    /** The arrays of the raw interactions the simulation keeps (for the refit and the summary). */
    private static long datasetBytes(Simulation sim) {
        return bytes(sim.dataset().interactions());
    }

    private static long bytes(Interactions x) {
        return (long) x.size() * (8 + (x.hasValues() ? 4 : 0) + (x.hasTimestamps() ? 8 : 0));
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

}
