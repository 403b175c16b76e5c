package org.fedrec.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedrec.cli.run.internal.MetricTable;
import org.fedrec.core.RoundRecord;
import org.junit.jupiter.api.Test;

class MetricTableTest {

    @Test
    void columnsAreTheUnionOfKeysInFirstSeenOrderAndClashingNamesArePrefixed() {
        Map<String, Double> fit2 = new LinkedHashMap<>();
        fit2.put("loss", 0.4);
        fit2.put("round", 9.0);
        Map<String, Double> eval2 = new LinkedHashMap<>();
        eval2.put("loss", 0.6);
        eval2.put("HR@10", 0.3);
        MetricTable t = MetricTable.of(List.of(
                new RoundRecord(1, Map.of("loss", 0.5), Map.of(), 1_000_000_000L, 0),
                new RoundRecord(2, fit2, eval2, 0, 0)));
        assertThat(t.header()).containsExactly("round", "loss", "fit_round", "eval_loss", "HR@10", "fit_seconds",
                "evaluate_seconds");
        assertThat(t.rows().get(0)).containsEntry("HR@10", null).containsEntry("fit_seconds", 1.0);
        String csv = new String(t.csv(), StandardCharsets.UTF_8);
        assertThat(csv.lines().toList().get(1)).isEqualTo("1,0.5,,,,1.0,0.0");
    }

    @Test
    void quotesCellsThatNeedIt() {
        MetricTable t = MetricTable.of(List.of(new RoundRecord(1, Map.of("a,b", Double.NaN), Map.of(), 0, 0)));
        String csv = new String(t.csv(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("round,\"a,b\",fit_seconds").contains("\n1,NaN,0.0,0.0\n");
    }
}
