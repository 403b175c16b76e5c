package org.fedrec.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunResult;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ConsoleProgress progress(FakeRun run, boolean interactive) {
        return new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), interactive, 80, run.clock);
    }

    @Test
    void printsAnAlignedTableOnStdoutAndPlainProgressOnStderr() {
        FakeRun run = new FakeRun(4);
        ConsoleProgress p = progress(run, false);
        run.play(p, 4);
        p.onRunEnd(run.result(RunResult.Ending.COMPLETED, 4));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsExactly(
                "round       loss   seconds",
                "    1     1.0000      0.25",
                "round       loss     HR@10   NDCG@10   seconds",
                "    2     0.5000    0.2000    0.1000      0.60",
                "    3     0.3333                          0.75",
                "    4     0.2500    0.4000    0.2000      1.10");
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).doesNotContain("\r")
                .contains("round 4/4 (100%), elapsed 4.0 s")
                .contains("completed after 4 of 4 rounds in 4.0 s, best round 4");
        assertThat(e.lines()).hasSize(2); // rounds 1-3 came within 10 s of the start: no line for them
    }

    @Test
    void interactiveBarDrawsOnStderrAndKeepsStdoutClean() {
        FakeRun run = new FakeRun(3);
        ConsoleProgress p = progress(run, true);
        run.play(p, 3);
        p.onRunEnd(run.result(RunResult.Ending.INTERRUPTED, 2));
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).doesNotContain("\r").contains("NDCG@10");
        assertThat(o.lines()).allMatch(l -> !l.contains("rounds"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("\r").contains("rounds").contains("3/3").contains("interrupted after 3 of 3 rounds");
    }

    @Test
    void saysWhenEvaluationsFailOnceEachTimeTheirCountChanges() {
        ConsoleProgress p = progress(new FakeRun(4), false);
        p.onRunStart(4, FakeRun.model(0));
        double[] failures = {0, 3, 3, 943};
        for (int r = 1; r <= 4; r++) {
            p.onRoundEnd(new RoundRecord(r, Map.of("loss", 0.5), Map.of("HR@10", 0.4, "evaluate_failures",
                    failures[r - 1]), 1, 1), FakeRun.model(r));
        }
        List<String> warnings = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("warning"))
                .toList();
        assertThat(warnings).containsExactly(
                "warning: round 2: 3 client evaluation(s) failed; its metrics cover only the others and it is never "
                        + "selected as the best round (evaluate_failures in metrics.csv)",
                "warning: round 4: 943 client evaluation(s) failed; its metrics cover only the others and it is never "
                        + "selected as the best round (evaluate_failures in metrics.csv)");
    }

    @Test
    void formatsNumbersCompactly() {
        assertThat(ConsoleProgress.number(null)).isEmpty();
        assertThat(ConsoleProgress.number(0.123456)).isEqualTo("0.1235");
        assertThat(ConsoleProgress.number(1234.56)).isEqualTo("1234.6");
        assertThat(ConsoleProgress.number(1.5e-6)).isEqualTo("1.500e-06");
        assertThat(ConsoleProgress.number(Double.NaN)).isEqualTo("nan");
        assertThat(ConsoleProgress.duration(3_723_000_000_000L)).isEqualTo("1h02m03s");
        assertThat(ConsoleProgress.duration(75_000_000_000L)).isEqualTo("1m15s");
    }
}
