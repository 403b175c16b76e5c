package org.fedrec.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedrec.core.Client;
import org.fedrec.core.ClientContext;
import org.fedrec.core.Clock;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunListener;
import org.fedrec.core.RunResult;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory and console progress behind the real round loop, with clients that pull w toward 1. */
class RoundLoopIntegrationTest {

    @TempDir
    Path tmp;

    /** Each fit moves w halfway to 1; loss is the distance; HR@10 grows as w approaches 1. */
    private static final class PullToOne implements Client {
        @Override
        public FitResult fit(FitInstruction ins, ClientContext context) {
            float w = ins.global().table("w").get(0, 0);
            return new FitResult(ins.clientId(), 10, new ModelUpdate(Map.of("w", new TableDelta.Dense(
                    new float[] {(1 - w) / 2}))), Map.of("loss", (double) (1 - w)));
        }

        @Override
        public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext context) {
            float w = ins.global().table("w").get(0, 0);
            return new EvaluateResult(ins.clientId(), 5, Map.of("HR@10", (double) w, "NDCG@10", w / 2.0));
        }
    }

    private RunResult run(Path dir, int rounds, int stopAfter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, 80, Clock.system());
        StoppingRule rule = new StoppingRule("HR@10", true, 0, 0);
        try (InMemoryFleet fleet = new InMemoryFleet(id -> new PullToOne(), List.of("a", "b", "c"),
                RandomSource.seeded(3), 1);
             RunDirectory rd = RunDirectory.at(dir).bestBy(rule)
                     .checkpoint((file, model) -> Files.writeString(file, "w=" + model.table("w").get(0, 0)))
                     .open()) {
            RoundLoop[] loop = new RoundLoop[1];
            RunListener stopper = new RunListener() {
                @Override
                public void onRoundEnd(RoundRecord record, ModelState global) {
                    if (record.round() == stopAfter) {
                        loop[0].requestStop(); // as a Ctrl-C handler would
                    }
                }
            };
            loop[0] = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(rounds).evaluateEvery(2).stopping(rule)
                    .listener(rd).listener(progress).listener(stopper).build();
            RunResult result = loop[0].run(new ModelState(Map.of("w", FloatTable.zeros(1, 1))));
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("HR@10");
            return result;
        }
    }

    @Test
    void completedRun() throws IOException {
        Path dir = tmp.resolve("done");
        RunResult result = run(dir, 6, -1);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("ending").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("rounds_run").asInt()).isEqualTo(6);
        assertThat(summary.get("best_round").asInt()).isEqualTo(6);
        assertThat(summary.get("metrics").get("HR@10").asDouble()).isCloseTo(1 - Math.pow(0.5, 6), within(1e-6));
        assertThat(Files.readString(dir.resolve("model.ckpt"))).isEqualTo("w=" + result.best().table("w").get(0, 0));
        assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(7);
        assertThat(dir.resolve("metrics.png")).isNotEmptyFile();
        assertThat(dir.resolve("loss.png")).isNotEmptyFile();
    }

    @Test
    void runStoppedAfterRound3EndsInterruptedWithItsFilesComplete() throws IOException {
        Path dir = tmp.resolve("stopped");
        run(dir, 10, 3);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("ending").asText()).isEqualTo("INTERRUPTED");
        assertThat(summary.get("rounds_run").asInt()).isEqualTo(3);
        assertThat(summary.get("best_round").asInt()).isEqualTo(2);
        assertThat(new ObjectMapper().readTree(dir.resolve("metrics.json").toFile())).hasSize(3);
        assertThat(dir.resolve("model.ckpt")).isNotEmptyFile();
    }
}
