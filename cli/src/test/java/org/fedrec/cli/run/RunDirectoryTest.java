package org.fedrec.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.fedrec.cli.CliException;
import org.fedrec.core.ModelState;
import org.fedrec.core.RunResult;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.config.ConfigDef;
import org.fedrec.core.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<ModelState> checkpointed = new ArrayList<>();

    private RunDirectory open(Path dir, FakeRun run) {
        return RunDirectory.at(dir).clock(run.clock)
                .checkpoint((file, model) -> {
                    checkpointed.add(model);
                    Files.writeString(file, "ckpt " + model.table("item_embeddings").get(0, 0));
                })
                .open();
    }

    /** Reads a CSV file written without quoting: header and rows as maps (empty cells as ""). */
    private static List<Map<String, String>> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).as("cells of " + line).hasSize(header.size());
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void writesEveryFileForACompletedRun() throws IOException {
        FakeRun run = new FakeRun(5);
        Path dir = tmp.resolve("runs/a");
        RunDirectory rd = open(dir, run);
        ConfigDef def = new ConfigDef().define(ConfigKey.ofDouble("train.lr", 0.05, 0, 10, "learning rate"))
                .define(ConfigKey.ofLong("seed", 7, "seed"));
        rd.writeProvenance(Provenance.capture(def.parse(Map.of("train.lr", 0.1), "test"), 7, "synthetic-shop",
                "ab".repeat(32), List.of("fedrec", "simulate", "train.lr=0.1"), run.clock));
        rd.putSummary("baselines", Map.of("popularity", Map.of("HR@10", 0.25)));
        run.play(rd, 5);
        rd.onRunEnd(run.result(RunResult.Ending.COMPLETED, 4));
        rd.close();

        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("metrics.csv", "metrics.json", "summary.json", "provenance.json",
                            "metrics.png", "loss.png", "model.ckpt");
        }

        List<Map<String, String>> csv = readCsv(dir.resolve("metrics.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0).keySet()).containsExactly("round", "loss", "fit_clients", "HR@10", "NDCG@10",
                "evaluate_failures", "fit_seconds", "evaluate_seconds");
        assertThat(csv.get(0)).containsEntry("round", "1").containsEntry("HR@10", "").containsEntry("loss", "1.0");
        assertThat(Double.parseDouble(csv.get(3).get("HR@10"))).isCloseTo(0.4, within(1e-12));
        assertThat(Double.parseDouble(csv.get(2).get("loss"))).isEqualTo(1.0 / 3);
        assertThat(Double.parseDouble(csv.get(2).get("fit_seconds"))).isEqualTo(0.75);
        assertThat(csv.get(2).get("evaluate_seconds")).isEqualTo("0.0");

        JsonNode json = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(5);
        assertThat(json.get(0).get("HR@10").isNull()).isTrue();
        assertThat(json.get(4).get("round").asInt()).isEqualTo(5);
        assertThat(json.get(4).get("HR@10").asDouble()).isEqualTo(0.1 * 5);
        assertThat(json.get(4).get("NDCG@10").asDouble()).isEqualTo(0.05 * 5);

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("ending").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("rounds_run").asInt()).isEqualTo(5);
        assertThat(summary.get("best_round").asInt()).isEqualTo(4);
        assertThat(summary.get("wall_seconds").asDouble()).isEqualTo(5.0);
        assertThat(summary.get("metrics").get("HR@10").asDouble()).isEqualTo(0.1 * 4);
        assertThat(summary.get("metrics").get("NDCG@10").asDouble()).isEqualTo(0.05 * 4);
        assertThat(summary.get("baselines").get("popularity").get("HR@10").asDouble()).isEqualTo(0.25);

        JsonNode prov = JSON.readTree(dir.resolve("provenance.json").toFile());
        assertThat(prov.get("config").get("train.lr").asDouble()).isEqualTo(0.1);
        assertThat(prov.get("config").get("seed").asLong()).isEqualTo(7);
        assertThat(prov.get("seed").asLong()).isEqualTo(7);
        assertThat(prov.get("dataset").asText()).isEqualTo("synthetic-shop");
        assertThat(prov.get("dataset_sha256").asText()).hasSize(64);
        assertThat(prov.get("code").get("version").asText()).isNotBlank();
        assertThat(prov.get("code").has("git_commit")).isTrue();
        assertThat(prov.get("machine").get("cores").asInt()).isPositive();
        assertThat(prov.get("machine").get("max_heap_bytes").asLong()).isPositive();
        assertThat(prov.get("machine").get("java_version").asText()).startsWith("17");
        assertThat(prov.get("started_at").asText()).endsWith("Z");
        assertThat(prov.get("command_line")).hasSize(3);

        assertThat(checkpointed).containsExactly(run.models.get(3));
        assertThat(Files.readString(dir.resolve("model.ckpt"))).isEqualTo("ckpt 4.0");
    }

    @Test
    void filesAreCompleteAfterEachRoundAndAnInterruptedRunIsSummarized() throws IOException {
        FakeRun run = new FakeRun(10);
        Path dir = tmp.resolve("interrupted");
        RunDirectory rd = open(dir, run);
        rd.putSummary("dataset", Map.of("users", 100, "items", 50));

        run.play(rd, 1);
        assertThat(readCsv(dir.resolve("metrics.csv"))).hasSize(1);
        assertThat(JSON.readTree(dir.resolve("summary.json").toFile()).get("ending").asText()).isEqualTo("RUNNING");
        assertThat(dir.resolve("metrics.png")).doesNotExist(); // no evaluation yet

        run.play(rd, 2);
        List<Map<String, String>> csv = readCsv(dir.resolve("metrics.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(1)).containsEntry("round", "2").containsEntry("HR@10", "0.2");
        assertThat(JSON.readTree(dir.resolve("metrics.json").toFile())).hasSize(2);
        JsonNode running = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(running.get("ending").asText()).isEqualTo("RUNNING");
        assertThat(running.get("rounds_run").asInt()).isEqualTo(2);
        assertThat(running.get("rounds_planned").asInt()).isEqualTo(10);
        assertThat(running.get("best_round").asInt()).isEqualTo(2);
        assertThat(dir.resolve("metrics.png")).exists();
        assertThat(dir.resolve("model.ckpt")).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        // Killed after round 2: the shutdown hook closes the directory.
        run.clock.advanceSeconds(0.5);
        rd.close();
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("ending").asText()).isEqualTo("INTERRUPTED");
        assertThat(summary.get("rounds_run").asInt()).isEqualTo(2);
        assertThat(summary.get("best_round").asInt()).isEqualTo(2);
        assertThat(summary.get("wall_seconds").asDouble()).isEqualTo(2.5);
        assertThat(summary.get("metrics").get("HR@10").asDouble()).isEqualTo(0.2);
        assertThat(summary.get("dataset").get("users").asInt()).isEqualTo(100);
        assertThat(checkpointed).containsExactly(run.models.get(1));
        assertThat(dir.resolve("model.ckpt")).exists();

        // A round that still arrives after close changes nothing.
        run.play(rd, 3);
        assertThat(readCsv(dir.resolve("metrics.csv"))).hasSize(2);
    }

    @Test
    void interruptedRunReportsTheBestRoundOfTheStoppingRule() throws IOException {
        FakeRun run = new FakeRun(10);
        Path dir = tmp.resolve("best");
        // HR@10 grows every evaluation, so with "lower is better" the first evaluation stays best.
        RunDirectory rd = RunDirectory.at(dir).clock(run.clock)
                .bestBy(new StoppingRule("HR@10", false, 0, 0)).open();
        run.play(rd, 6);
        rd.close();
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("best_round").asInt()).isEqualTo(2);
        assertThat(summary.get("metrics").get("HR@10").asDouble()).isEqualTo(0.2);
    }

    @Test
    void chartsAreValidPngs() throws IOException {
        FakeRun run = new FakeRun(30);
        Path dir = tmp.resolve("charts");
        RunDirectory rd = open(dir, run);
        run.play(rd, 30);
        rd.onRunEnd(run.result(RunResult.Ending.COMPLETED, 30));
        for (String name : List.of("metrics.png", "loss.png")) {
            byte[] png = Files.readAllBytes(dir.resolve(name));
            assertThat(Arrays.copyOf(png, 8)).as(name).containsExactly(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
            assertThat(png.length).as(name).isGreaterThan(10_000);
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertThat(image.getWidth()).isEqualTo(960);
            assertThat(image.getHeight()).isEqualTo(540);
        }
    }

    @Test
    void refusesANonEmptyDirectoryUnlessOverwriting() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(dir.resolve("metrics.csv"), "old");
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> RunDirectory.at(dir).open())
                .isInstanceOf(CliException.class)
                .hasMessageContaining("run directory " + dir + " is not empty")
                .hasMessageContaining("metrics.csv, notes.txt")
                .hasMessageContaining("--overwrite");
        assertThat(Files.readString(dir.resolve("metrics.csv"))).isEqualTo("old");

        RunDirectory.at(dir).overwrite(true).open();
        assertThat(dir.resolve("metrics.csv")).doesNotExist();
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void refusesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> RunDirectory.at(file).overwrite(true).open())
                .isInstanceOf(CliException.class).hasMessageContaining("is a file");
    }

    @Test
    void summaryKeysOfItsOwnCannotBeReplaced() {
        RunDirectory rd = RunDirectory.at(tmp.resolve("k")).open();
        assertThatThrownBy(() -> rd.putSummary("ending", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ending'");
    }

    @Test
    void datasetChecksumCoversFilesAndDirectories() throws IOException {
        Path f = Files.writeString(tmp.resolve("data.csv"), "abc");
        assertThat(Provenance.sha256(f))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Path d = Files.createDirectories(tmp.resolve("ds"));
        Files.writeString(d.resolve("a.csv"), "1");
        String before = Provenance.sha256(d);
        Files.move(d.resolve("a.csv"), d.resolve("b.csv"));
        assertThat(Provenance.sha256(d)).hasSize(64).isNotEqualTo(before);
    }
}
