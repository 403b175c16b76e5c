package org.fedrec.cli.run;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedrec.cli.run.internal.MetricCharts;
import org.fedrec.core.Clock;
import org.fedrec.core.ModelState;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunListener;
import org.fedrec.core.RunResult;
import org.fedrec.privacy.DpFedAvg;

/**
 * Shows a run on the console: a table on stdout with one aligned row per round (round, training losses,
 * evaluation metrics, seconds), and progress on stderr: a live bar on a terminal, or at most one plain
 * line every {@value #PLAIN_INTERVAL_SECONDS} seconds elsewhere (CI logs, redirected output).
 *
 * <p>The header is printed before the first row and again only when new columns appear (the first
 * evaluation of a run that does not evaluate every round). Bookkeeping metrics (client counts, failures,
 * traffic) stay in {@code metrics.csv}.
 */
public final class ConsoleProgress implements RunListener, AutoCloseable {

    static final int PLAIN_INTERVAL_SECONDS = 10;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final int width;
    private final Clock clock;
    private final Object lock = new Object();

    private ProgressBar bar;
    private int rounds;
    private long startNanos;
    private long lastPlainNanos;
    private List<Column> columns = List.of();
    private double lastEvaluateFailures;

    /**
     * @param interactive draw a live bar on {@code err} (a terminal), else plain progress lines
     * @param width       the terminal width for the bar
     */
    public ConsoleProgress(PrintStream out, PrintStream err, boolean interactive, int width, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.interactive = interactive;
        this.width = Math.max(40, width);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * On {@code System.out}/{@code System.err}: interactive unless the {@code CI} environment variable is
     * set or stderr is not a terminal. The launcher tells whether it is with {@code -Dfedrec.console}
     * (and the width with {@code -Dfedrec.columns}); without it, the JVM's console is asked.
     */
    public static ConsoleProgress forTerminal() {
        return new ConsoleProgress(System.out, System.err, interactiveTerminal(), terminalColumns(), Clock.system());
    }

    /**
     * Whether stderr is a terminal that may show a live bar: not when the {@code CI} environment variable
     * is set; else as the launcher says with {@code -Dfedrec.console}, or else as the JVM's console says.
     */
    public static boolean interactiveTerminal() {
        String ci = System.getenv("CI");
        String console = System.getProperty("fedrec.console");
        boolean terminal = console != null ? Boolean.parseBoolean(console) : System.console() != null;
        return terminal && (ci == null || ci.isBlank() || ci.equalsIgnoreCase("false"));
    }

    /** The terminal's width: {@code -Dfedrec.columns}, else {@code COLUMNS}, else 100. */
    public static int terminalColumns() {
        try {
            String fromEnv = System.getenv().getOrDefault("COLUMNS", "100");
            return Integer.parseInt(System.getProperty("fedrec.columns", fromEnv).trim());
        } catch (NumberFormatException ignored) {
            return 100;
        }
    }

    @Override
    public void onRunStart(int rounds, ModelState initial) {
        synchronized (lock) {
            this.rounds = rounds;
            this.startNanos = clock.nanoTime();
            this.lastPlainNanos = startNanos;
            if (interactive) {
                bar = new ProgressBarBuilder()
                        .setTaskName("rounds")
                        .setInitialMax(rounds)
                        .setStyle(unicode() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250)
                        .setConsumer(new StderrLine())
                        .build();
            }
        }
    }

    @Override
    public void onRoundEnd(RoundRecord record, ModelState global) {
        synchronized (lock) {
            List<Column> now = columnsFor(record);
            if (!now.equals(columns)) {
                columns = now;
                printRow(headerCells());
            }
            printRow(cells(record));
            warnOfEvaluateFailures(record);
            if (bar != null) {
                bar.stepTo(record.round());
                extraMessage(record).ifPresent(bar::setExtraMessage);
                bar.refresh();
            } else {
                long t = clock.nanoTime();
                if (record.round() == rounds || t - lastPlainNanos >= PLAIN_INTERVAL_SECONDS * 1_000_000_000L) {
                    lastPlainNanos = t;
                    err.println(plainProgress(record.round(), t));
                    err.flush();
                }
            }
        }
    }

    /**
     * Evaluations fail only on something wrong (a scorer's NaN, a model diverged): said when their count
     * changes, since the round's metrics then cover only the clients that succeeded.
     */
    private void warnOfEvaluateFailures(RoundRecord record) {
        double failed = record.evaluateMetrics().getOrDefault("evaluate_failures", 0.0);
        if (failed > 0 && failed != lastEvaluateFailures) {
            out.printf(Locale.ROOT, "warning: round %d: %.0f client evaluation(s) failed; its metrics cover only "
                    + "the others and it is never selected as the best round (evaluate_failures in metrics.csv)%n",
                    record.round(), failed);
        }
        lastEvaluateFailures = failed;
    }

    @Override
    public void onRunEnd(RunResult result) {
        closeBar();
        synchronized (lock) {
            String best = result.bestRecord().round() > 0 ? ", best round " + result.bestRecord().round() : "";
            err.printf(Locale.ROOT, "%s after %d of %d rounds in %s%s%n", describe(result.ending()),
                    result.roundsRun(), rounds, duration(result.wallNanos()), best);
            err.flush();
        }
    }

    /** Stops the bar (when a run ends without {@link #onRunEnd}); idempotent. */
    @Override
    public void close() {
        closeBar();
    }

    /** Outside the lock: the bar's close waits for a last render on its own thread, which takes the lock. */
    private void closeBar() {
        ProgressBar closing;
        synchronized (lock) {
            closing = bar;
            bar = null;
        }
        if (closing != null) {
            closing.close();
        }
    }

    private static String describe(RunResult.Ending ending) {
        return switch (ending) {
            case COMPLETED -> "completed";
            case EARLY_STOPPED -> "stopped early";
            case INTERRUPTED -> "interrupted";
            case BUDGET_EXHAUSTED -> "stopped at the privacy budget";
        };
    }

    // ---- the table ----

    private enum Kind { ROUND, FIT, EVALUATE, SECONDS }

    private record Column(Kind kind, String key, int width) {
    }

    /** Training metrics worth a column: losses, and the privacy spent so far. */
    private static boolean isShownFitKey(String key) {
        return MetricCharts.isLossKey(key) || key.equals(DpFedAvg.EPSILON_METRIC);
    }

    private List<Column> columnsFor(RoundRecord record) {
        Set<Column> cols = new LinkedHashSet<>();
        cols.add(new Column(Kind.ROUND, "round", Math.max(5, Integer.toString(rounds).length())));
        // Keep the columns already shown, in their order, then add new ones.
        List<String> fitKeys = new ArrayList<>();
        List<String> evalKeys = new ArrayList<>();
        for (Column c : columns) {
            if (c.kind() == Kind.FIT) {
                fitKeys.add(c.key());
            } else if (c.kind() == Kind.EVALUATE) {
                evalKeys.add(c.key());
            }
        }
        record.fitMetrics().keySet().stream().filter(ConsoleProgress::isShownFitKey).filter(k -> !fitKeys.contains(k))
                .forEach(fitKeys::add);
        record.evaluateMetrics().keySet().stream().filter(k -> !MetricCharts.isCounter(k))
                .filter(k -> !evalKeys.contains(k)).forEach(evalKeys::add);
        fitKeys.forEach(k -> cols.add(new Column(Kind.FIT, k, Math.max(9, k.length()))));
        evalKeys.forEach(k -> cols.add(new Column(Kind.EVALUATE, k, Math.max(8, k.length()))));
        cols.add(new Column(Kind.SECONDS, "seconds", 8));
        return List.copyOf(cols);
    }

    private List<String> headerCells() {
        List<String> cells = new ArrayList<>();
        for (Column c : columns) {
            boolean clash = c.kind() == Kind.EVALUATE
                    && columns.stream().anyMatch(o -> o.kind() == Kind.FIT && o.key().equals(c.key()));
            cells.add(clash ? "eval " + c.key() : c.key());
        }
        return cells;
    }

    private List<String> cells(RoundRecord r) {
        List<String> cells = new ArrayList<>();
        for (Column c : columns) {
            cells.add(switch (c.kind()) {
                case ROUND -> Integer.toString(r.round());
                case FIT -> number(r.fitMetrics().get(c.key()));
                case EVALUATE -> number(r.evaluateMetrics().get(c.key()));
                case SECONDS -> String.format(Locale.ROOT, "%.2f", (r.fitNanos() + r.evaluateNanos()) / 1e9);
            });
        }
        return cells;
    }

    private void printRow(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            int w = Math.max(columns.get(i).width(), cell.length());
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(" ".repeat(w - cell.length())).append(cell);
        }
        if (bar != null) {
            // Wipe the bar's line so the row does not land on it; the bar redraws below the row.
            err.print("\r" + " ".repeat(width - 1) + "\r");
            err.flush();
        }
        out.println(sb);
        out.flush();
    }

    static String number(Double v) {
        if (v == null) {
            return "";
        }
        if (v.isNaN() || v.isInfinite()) {
            return v.isNaN() ? "nan" : v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, a >= 1000 ? "%.1f" : "%.4f", v);
    }

    // ---- progress ----

    /** The first evaluation metric of the round, shown after the bar until the next evaluation. */
    private Optional<String> extraMessage(RoundRecord r) {
        for (Column c : columns) {
            if (c.kind() == Kind.EVALUATE && r.evaluateMetrics().containsKey(c.key())) {
                return Optional.of(c.key() + " " + number(r.evaluateMetrics().get(c.key())));
            }
        }
        return Optional.empty();
    }

    private String plainProgress(int round, long nowNanos) {
        long elapsed = nowNanos - startNanos;
        String eta = round > 0 && round < rounds ? ", eta " + duration(elapsed / round * (rounds - round)) : "";
        return String.format(Locale.ROOT, "round %d/%d (%d%%), elapsed %s%s", round, rounds,
                rounds == 0 ? 100 : 100 * round / rounds, duration(elapsed), eta);
    }

    /** A duration for people: {@code 4.2 s}, {@code 3m07s}, {@code 1h02m03s}. */
    public static String duration(long nanos) {
        Duration d = Duration.ofNanos(Math.max(0, nanos));
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Whether stderr takes UTF-8, so that a bar may use block characters. */
    public static boolean unicode() {
        String enc = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding",
                System.getProperty("native.encoding", Charset.defaultCharset().name())));
        try {
            return Charset.forName(enc).equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Draws the bar on one stderr line, sharing the lock with the table so the two never interleave. */
    private final class StderrLine implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public void accept(String rendered) {
            synchronized (lock) {
                err.print('\r');
                err.print(rendered);
                err.flush();
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                err.println();
                err.flush();
            }
        }
    }
}
