package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.fedrec.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code split=cold_items} end to end: full ranking among the cold items, the cold baselines in the summary. */
class ColdItemsWiringTest {
    @Test
    void aColdRunReportsFullRankingMetricsAndTheColdBaselines(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cold");
        assertThat(SimulateCommand.run(SimulateCommandTest.config("split=cold_items", "synthetic.users=200", "rounds=4",
                "eval.every=2", "partition=central"), dir, false, List.of())).isZero();
        JsonNode s = SimulateCommandTest.summary(dir);
        assertThat(s.get("metrics").has("Recall@10")).isTrue();
        assertThat(s.get("metrics").has("NDCG@10")).isTrue();
        JsonNode b = s.get("baselines");
        assertThat(b.has("popularity")).isTrue();
        assertThat(b.has("category_popularity")).isTrue();
        assertThat(b.has("random")).isTrue();
        // Every cold item has training popularity 0: popularity is its random tie-breaking, the random ranking.
        assertThat(b.get("popularity").get("Recall@10").asDouble()).isEqualTo(b.get("random").get("Recall@10").asDouble());
        // Ranked among about a fifth of the items, random finds far more than K / numItems of them.
        assertThat(b.get("random").get("Recall@10").asDouble()).isGreaterThan(10.0 / 1000);
        assertThat(s.get("dataset").get("validation").asInt()).isZero(); // the refit trained on train + validation
    }

    @Test
    void badFractionsNameBothKeys() {
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("split=cold_items", "synthetic.users=50",
                "split.cold_fraction=0.6", "split.cold_validation_fraction=0.5")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("'split.cold_fraction' and 'split.cold_validation_fraction'")
                .hasMessageContaining("got coldFraction 0.6, validationFraction 0.5");
    }
}
