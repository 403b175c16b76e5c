package org.fedrec.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.fedrec.cli.CliException;
import org.fedrec.core.io.AtomicFiles;
import org.fedrec.cli.run.internal.BestSoFar;
import org.fedrec.cli.run.internal.Json;
import org.fedrec.cli.run.internal.MetricCharts;
import org.fedrec.cli.run.internal.MetricTable;
import org.fedrec.core.Clock;
import org.fedrec.core.ModelState;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunListener;
import org.fedrec.core.RunResult;
import org.fedrec.core.StoppingRule;

/**
 * A run's output directory, kept up to date as the run goes:
 * <ul>
 *   <li>{@code provenance.json}: {@link #writeProvenance(Provenance)}, at the start;</li>
 *   <li>{@code metrics.csv}, {@code metrics.json}: one row per round (see {@link MetricTable} for the
 *       columns), rewritten after every round;</li>
 *   <li>{@code summary.json}: {@code ending}, {@code rounds_run}, {@code best_round}, {@code wall_seconds},
 *       {@code metrics} (the best round's evaluation metrics) and whatever the caller added with
 *       {@link #putSummary}; rewritten after every round with {@code "ending": "RUNNING"}, and finally with
 *       the run's ending;</li>
 *   <li>{@code metrics.png} (evaluation metrics) and {@code loss.png}: after the first evaluation, then
 *       after evaluations at most every {@link Builder#chartInterval} (a render takes ~0.1 s), and at
 *       the end;</li>
 *   <li>{@code model.ckpt}: through the {@link CheckpointWriter}, once, at the end.</li>
 * </ul>
 * Every file is replaced atomically, so a run killed at any instant leaves complete, parseable files. A
 * run cut short before the round loop reports its result (a shutdown hook calling {@link #close()})
 * still gets a summary with {@code "ending": "INTERRUPTED"}, charts and a checkpoint of the best model
 * so far. Thread-safe: the round loop's thread and a shutdown hook may call in concurrently.
 */
public final class RunDirectory implements RunListener, AutoCloseable {

    public static final String METRICS_CSV = "metrics.csv";
    public static final String METRICS_JSON = "metrics.json";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String PROVENANCE_JSON = "provenance.json";
    public static final String METRICS_PNG = "metrics.png";
    public static final String LOSS_PNG = "loss.png";
    public static final String CHECKPOINT = "model.ckpt";

    /** The files a run directory holds; {@code overwrite} deletes these and nothing else. */
    public static final Set<String> FILES = Set.of(METRICS_CSV, METRICS_JSON, SUMMARY_JSON, PROVENANCE_JSON,
            METRICS_PNG, LOSS_PNG, CHECKPOINT);

    /** The {@code ending} of a summary written while the run is under way. */
    public static final String RUNNING = "RUNNING";

    private static final Set<String> RESERVED_SUMMARY_KEYS = Set.of("ending", "rounds_run", "rounds_planned",
            "best_round", "wall_seconds", "started_at", "metrics");

    private final Path dir;
    private final Clock clock;
    private final CheckpointWriter checkpoint;
    private final long chartIntervalNanos;
    private final BestSoFar best;
    private final Map<String, Object> extraSummary = new LinkedHashMap<>();
    private final List<RoundRecord> records = new ArrayList<>();

    private int roundsPlanned;
    private Instant startedAt;
    private long startNanos;
    private long lastChartNanos;
    private boolean charted;
    private boolean started;
    private boolean finished;

    private RunDirectory(Builder b) {
        this.dir = b.dir;
        this.clock = b.clock;
        this.checkpoint = b.checkpoint;
        this.chartIntervalNanos = b.chartIntervalNanos;
        this.best = new BestSoFar(b.bestBy);
    }

    /** Starts describing a run directory at {@code dir}; {@link Builder#open()} creates it. */
    public static Builder at(Path dir) {
        return new Builder(dir);
    }

    public Path path() {
        return dir;
    }

    /** A file of this directory, e.g. {@code file(METRICS_CSV)}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Writes {@code provenance.json}. Call before the run starts. */
    public synchronized void writeProvenance(Provenance provenance) {
        write(PROVENANCE_JSON, Json.bytes(provenance.toJson()));
    }

    /**
     * Adds an entry to {@code summary.json} (dataset statistics, baselines such as
     * {@code putSummary("baselines", Map.of("popularity", Map.of("HR@10", 0.31)))}). Values are anything
     * Jackson renders: numbers, strings, booleans, lists, maps, records. Takes effect at the next summary
     * write; a key put twice keeps the last value.
     *
     * @throws IllegalArgumentException for the keys the summary fills itself
     */
    public synchronized void putSummary(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if (RESERVED_SUMMARY_KEYS.contains(key)) {
            throw new IllegalArgumentException("summary key '" + key + "' is written by the run directory itself");
        }
        extraSummary.put(key, value);
        if (started) {
            writeSummary(RUNNING, null);
        }
    }

    @Override
    public synchronized void onRunStart(int rounds, ModelState initial) {
        started = true;
        roundsPlanned = rounds;
        startedAt = clock.now();
        startNanos = clock.nanoTime();
        writeMetrics();
        writeSummary(RUNNING, null);
    }

    @Override
    public synchronized void onRoundEnd(RoundRecord record, ModelState global) {
        if (finished) {
            return;
        }
        records.add(record);
        best.offer(record, global);
        writeMetrics();
        writeSummary(RUNNING, null);
        long now = clock.nanoTime();
        if (record.evaluated() && (!charted || now - lastChartNanos >= chartIntervalNanos)) {
            writeCharts();
            charted = true;
            lastChartNanos = now;
        }
    }

    @Override
    public synchronized void onRunEnd(RunResult result) {
        if (finished) {
            return;
        }
        records.clear();
        records.addAll(result.history());
        writeMetrics();
        writeCharts();
        writeCheckpoint(result.best());
        writeSummary(result.ending().name(), result);
        finished = true;
    }

    /**
     * Finishes a run the round loop did not finish (killed, or a shutdown hook gave up waiting): writes
     * the charts, the checkpoint of the best model so far and a summary with {@code "ending":
     * "INTERRUPTED"}. Does nothing after {@link #onRunEnd} or before {@link #onRunStart}; later calls
     * are ignored.
     */
    @Override
    public synchronized void close() {
        if (!started || finished) {
            return;
        }
        finished = true;
        writeCharts();
        if (best.model() != null) {
            writeCheckpoint(best.model());
        }
        writeSummary(RunResult.Ending.INTERRUPTED.name(), null);
    }

    private void writeMetrics() {
        MetricTable table = MetricTable.of(records);
        write(METRICS_CSV, table.csv());
        write(METRICS_JSON, table.json());
    }

    private void writeSummary(String ending, RunResult result) {
        RoundRecord bestRecord = result != null ? result.bestRecord() : best.record();
        long wallNanos = result != null ? result.wallNanos() : clock.nanoTime() - startNanos;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("ending", ending);
        s.put("rounds_run", result != null ? result.roundsRun() : records.isEmpty() ? 0 : records.get(records.size() - 1).round());
        s.put("rounds_planned", roundsPlanned);
        s.put("best_round", bestRecord == null || bestRecord.round() == 0 ? null : bestRecord.round());
        s.put("wall_seconds", wallNanos / 1e9);
        s.put("started_at", startedAt.toString());
        s.put("metrics", bestRecord == null ? Map.of() : bestRecord.evaluateMetrics());
        s.putAll(extraSummary);
        write(SUMMARY_JSON, Json.bytes(s));
    }

    private void writeCharts() {
        try {
            Optional<byte[]> metrics = MetricCharts.evaluationPng(records);
            if (metrics.isPresent()) {
                AtomicFiles.write(file(METRICS_PNG), metrics.get());
            }
            Optional<byte[]> loss = MetricCharts.lossPng(records);
            if (loss.isPresent()) {
                AtomicFiles.write(file(LOSS_PNG), loss.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write charts in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void writeCheckpoint(ModelState model) {
        if (checkpoint == null) {
            return;
        }
        try {
            AtomicFiles.replace(file(CHECKPOINT), tmp -> checkpoint.write(tmp, model));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file(CHECKPOINT) + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, byte[] content) {
        try {
            AtomicFiles.write(file(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless {@code dir} is absent or an empty directory: for callers that write several run
     * directories under one path and must not replace anything a user left there.
     */
    public static void requireEmpty(Path dir) {
        try {
            List<String> present = entries(dir);
            if (!present.isEmpty()) {
                throw notEmpty(dir, present);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Names in {@code dir}, sorted; empty when it does not exist; an error when it is a file. */
    private static List<String> entries(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new CliException("run directory " + dir + " is a file; expected a directory or a new path");
        }
        if (!Files.exists(abs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(abs)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static CliException notEmpty(Path dir, List<String> present) {
        String shown = String.join(", ", present.subList(0, Math.min(5, present.size())))
                + (present.size() > 5 ? ", … (" + present.size() + " entries)" : "");
        return new CliException("run directory " + dir + " is not empty (it has " + shown
                + "); choose a new directory or pass --overwrite to replace fedrec's files in it");
    }

    /** Options of a {@link RunDirectory}; only the path is required. */
    public static final class Builder {
        private final Path dir;
        private boolean overwrite;
        private Clock clock = Clock.system();
        private CheckpointWriter checkpoint;
        private StoppingRule bestBy;
        private long chartIntervalNanos = 5_000_000_000L;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** Allow a non-empty directory: fedrec's own files in it ({@link #FILES}) are deleted, others kept. */
        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Writes {@code model.ckpt} at the end of the run; without one no checkpoint is written. */
        public Builder checkpoint(CheckpointWriter writer) {
            this.checkpoint = writer;
            return this;
        }

        /**
         * The round loop's stopping rule, so that a run cut short reports (and checkpoints) the same best
         * round the loop would have; without one the latest evaluated round counts as best.
         */
        public Builder bestBy(StoppingRule rule) {
            this.bestBy = rule;
            return this;
        }

        /** The least time between chart renders during the run (default 5 s; 0 renders every evaluation). */
        public Builder chartInterval(java.time.Duration interval) {
            this.chartIntervalNanos = interval.toNanos();
            return this;
        }

        /**
         * Creates the directory (and its parents) if absent.
         *
         * @throws CliException if the path is a file, or a non-empty directory and overwrite is off
         * @throws UncheckedIOException if the directory cannot be created or cleared
         */
        public RunDirectory open() {
            try {
                Path abs = dir.toAbsolutePath().normalize();
                List<String> present = entries(dir);
                Files.createDirectories(abs);
                if (!present.isEmpty()) {
                    if (!overwrite) {
                        throw notEmpty(dir, present);
                    }
                    for (String name : present) {
                        if (FILES.contains(name) || isOurTemporary(name)) {
                            Files.deleteIfExists(abs.resolve(name));
                        }
                    }
                }
                return new RunDirectory(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare run directory " + dir + ": " + e.getMessage(), e);
            }
        }

        private static boolean isOurTemporary(String name) {
            return name.startsWith(".") && name.endsWith(".tmp")
                    && FILES.contains(name.substring(1, name.length() - ".tmp".length()));
        }
    }
}
