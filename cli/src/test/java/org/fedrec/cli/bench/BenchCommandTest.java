package org.fedrec.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedrec.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the benchmark on a tiny synthetic shop; checks what it reports, never how fast anything was. */
class BenchCommandTest {

    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();

    @Test
    void reportsBothMeasurementsAndTheirRatio() throws Exception {
        Path dir = tmp.resolve("bench");
        int status = cli.execute("bench", "--warmup", "1", "--repeat", "2", "--out", dir.toString(), "dataset=synthetic",
                "synthetic.users=50", "synthetic.items=200", "threads=2");

        assertThat(status).as(cli.err()).isZero();
        assertThat(cli.out()).contains("centralized epoch").contains("federated round")
                .contains("federated round / centralized epoch:").contains("triples/s");
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("bench.json")));
        JsonNode epoch = json.get("centralized_epoch");
        JsonNode round = json.get("federated_round");
        assertThat(epoch.get("clients").asInt()).isEqualTo(1);
        assertThat(round.get("clients").asInt()).isEqualTo(50);
        assertThat(round.get("strategy").asText()).isEqualTo("FedAvg");
        assertThat(round.get("training").get("negatives").asInt()).isEqualTo(4);
        // Every user's client sends its own rows: more than the one client holding all users.
        assertThat(round.get("uplink_floats").asLong()).isGreaterThan(epoch.get("uplink_floats").asLong());
        assertThat(epoch.get("triples").asLong()).isEqualTo(round.get("triples").asLong()).isPositive();
        for (JsonNode phase : new JsonNode[] {epoch, round}) {
            assertThat(phase.get("total_ms").get("samples")).hasSize(2);
            assertThat(phase.get("total_ms").get("median").asDouble()).isPositive();
            assertThat(phase.get("total_ms").get("min").asDouble()).isPositive();
            assertThat(phase.get("fit_ms").get("median").asDouble()).isPositive();
            assertThat(phase.get("triples_per_s").asDouble()).isPositive();
        }
        assertThat(json.get("ratio_federated_round_to_centralized_epoch").asDouble()).isPositive().isFinite();
        assertThat(json.get("dataset").get("users").asInt()).isEqualTo(50);
        assertThat(json.get("config").get("partition").asText()).isEqualTo("per_user");
    }

    @Test
    void withoutADatasetOrAFetchedMovieLensItFallsBackToTheSyntheticShop() {
        int status = cli.execute("bench", "--warmup", "0", "--repeat", "1", "data.cache_dir=" + tmp.resolve("empty-cache"),
                "synthetic.users=20", "synthetic.items=200", "threads=1");

        assertThat(status).as(cli.err()).isZero();
        assertThat(cli.err()).contains("no dataset named").contains("using the synthetic shop");
        assertThat(cli.out()).contains("synthetic-shop: 20 users");
    }

    @Test
    void aDataDirWithoutANamedDatasetIsDetected() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("not-a-dataset"));
        Files.writeString(data.resolve("readme.txt"), "nothing here");

        assertThat(cli.execute("bench", "--data-dir", data.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("cannot detect the dataset layout").contains("dataset=FORMAT");
    }

    @Test
    void repeatMustBePositive() {
        assertThat(cli.execute("bench", "--repeat", "0")).isEqualTo(2);
        assertThat(cli.err()).contains("--repeat");
    }
}
