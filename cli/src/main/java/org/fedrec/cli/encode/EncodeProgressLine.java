package org.fedrec.cli.encode;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedrec.cli.run.ConsoleProgress;
import org.fedrec.encoder.EncodeProgress;

/**
 * Shows encoding progress on stderr with items per second: a live bar on a terminal, else a plain line at
 * most every {@value #PLAIN_INTERVAL_SECONDS} seconds and one when done (CI logs, redirected output).
 */
public final class EncodeProgressLine implements EncodeProgress, AutoCloseable {

    static final int PLAIN_INTERVAL_SECONDS = 10;

    private final PrintWriter err;
    private final boolean interactive;
    private final int width;
    private ProgressBar bar;
    private long lastPlainNanos = Long.MIN_VALUE;

    public EncodeProgressLine(PrintWriter err, boolean interactive, int width) {
        this.err = err;
        this.interactive = interactive;
        this.width = Math.max(40, width);
    }

    @Override
    public void update(int done, int total, long elapsedNanos) {
        if (total == 0) {
            return;
        }
        if (interactive) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("encoding").setInitialMax(total).setUnit(" items", 1)
                        .showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUpdateIntervalMillis(250)
                        .setStyle(ConsoleProgress.unicode() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err, width - 1)).build();
            }
            bar.stepTo(done);
            return;
        }
        boolean due = lastPlainNanos == Long.MIN_VALUE || elapsedNanos - lastPlainNanos >= PLAIN_INTERVAL_SECONDS * 1_000_000_000L;
        if (done > 0 && (done == total || due)) {
            lastPlainNanos = elapsedNanos;
            err.println(line(done, total, elapsedNanos));
            err.flush();
        }
    }

    static String line(int done, int total, long elapsedNanos) {
        double perSecond = elapsedNanos > 0 ? done / (elapsedNanos / 1e9) : 0;
        return String.format(Locale.ROOT, "encoding %d/%d items (%d%%), %.1f items/s, elapsed %s", done, total,
                100L * done / total, perSecond, ConsoleProgress.duration(elapsedNanos));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
