package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class MetricSumsTest {
    private static final List<String> NAMES = List.of("HR@10", "NDCG@10");

    @Test
    void mergeAddsSumsAndCountsAndMeansAreUserWeighted() {
        MetricSums a = MetricSums.of(NAMES, new double[] {3, 1.5}, 4);
        MetricSums b = MetricSums.of(NAMES, new double[] {1, 0.5}, 6);
        MetricSums m = a.merge(b);
        assertThat(m.count()).isEqualTo(10);
        assertThat(m.means()).containsExactly(java.util.Map.entry("HR@10", 0.4), java.util.Map.entry("NDCG@10", 0.2));
        assertThat(MetricSums.empty(NAMES).merge(a)).isEqualTo(a);
    }

    @Test
    void meansOfNoUsersAreNaN() {
        assertThat(MetricSums.empty(NAMES).means().values()).allMatch(v -> v.isNaN());
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> MetricSums.of(NAMES, new double[] {1}, 1))
                .hasMessage("expected 2 sums for metrics [HR@10, NDCG@10], found 1");
        assertThatThrownBy(() -> MetricSums.of(NAMES, new double[] {1, 1}, -1))
                .hasMessage("expected a user count >= 0, found -1");
        assertThatThrownBy(() -> MetricSums.of(NAMES, new double[] {1, Double.NaN}, 1))
                .hasMessage("expected a finite sum for NDCG@10, found NaN");
        assertThatThrownBy(() -> MetricSums.empty(List.of("AUC", "AUC")))
                .hasMessage("expected distinct metric names, found [AUC, AUC]");
        assertThatThrownBy(() -> MetricSums.empty(NAMES).merge(MetricSums.empty(List.of("Recall@20"))))
                .hasMessage("cannot merge metrics [Recall@20] into [HR@10, NDCG@10]");
        assertThatThrownBy(() -> MetricSums.empty(NAMES).mean("AUC"))
                .hasMessage("unknown metric AUC; expected one of [HR@10, NDCG@10]");
    }
}
