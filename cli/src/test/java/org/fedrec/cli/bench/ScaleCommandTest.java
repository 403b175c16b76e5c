package org.fedrec.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedrec.cli.CliRun;
import org.junit.jupiter.api.Test;

/** Runs the scale benchmark on tiny populations; checks what it reports, never how fast anything was. */
class ScaleCommandTest {

    private final CliRun cli = new CliRun();

    @Test
    void reportsEveryCellAndTheMemoryBreakdownAndSkipsCohortsLargerThanThePopulation() {
        int status = cli.execute("scale", "--users", "60,120", "--per-round", "20,100", "--warmup", "0", "--repeat", "1",
                "synthetic.items=200", "threads=2");
        assertThat(status).as(cli.err()).isZero();
        String out = cli.out();
        assertThat(out).containsPattern("(?m)^60 +20 +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+$")
                .containsPattern("(?m)^120 +20 ").containsPattern("(?m)^120 +100 +[0-9.]+ ")
                .containsPattern("(?m)^60 +100 +skipped: more clients per round than the 60 clients$");
        // private state: 64 floats and a flag per user. The heap columns are measured (heap after GC minus
        // before), which for a few dozen clients is GC noise and may come out negative; only their presence counts.
        assertThat(out).contains("memory per virtual client")
                .containsPattern("(?m)^60 +-?[0-9]+ +-?[0-9]+ +[0-9]+ +257 ")
                .containsPattern("(?m)^120 +-?[0-9]+ +-?[0-9]+ ");
    }
}
