package org.fedrec.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class AggregationTest {

    static ModelState state(int rows, int cols, float... values) {
        return new ModelState(Map.of("t", new FloatTable(rows, cols, values)));
    }

    static FitResult dense(String id, long n, float... delta) {
        return new FitResult(id, n, new ModelUpdate(Map.of("t", new TableDelta.Dense(delta))), Map.of());
    }

    static FitResult sparse(String id, long n, int cols, int[] rows, float... values) {
        return new FitResult(id, n, new ModelUpdate(Map.of("t", new TableDelta.SparseRows(cols, rows, values))), Map.of());
    }

    @Test
    void denseFedAvgIsTheExampleWeightedMeanOfClientModels() {
        // theta = [1, 2]; client A (n=1) -> [2, 2], client B (n=3) -> [1, 6]
        // FedAvg: (1*[2,2] + 3*[1,6]) / 4 = [1.25, 5.0]
        ModelState global = state(2, 1, 1f, 2f);
        ModelUpdate mean = Aggregation.weightedMeanDelta(global,
                List.of(dense("a", 1, 1f, 0f), dense("b", 3, 0f, 4f)));
        ModelState next = Aggregation.applyDelta(global, mean, 1.0);
        assertThat(next.table("t").data()).containsExactly(1.25f, 5.0f);
        assertThat(global.table("t").data()).containsExactly(1f, 2f); // input untouched
    }

    @Test
    void sparseRowsAreAveragedOverTheClientsThatSentThemAndUntouchedRowsKeepTheirValue() {
        // 3 rows x 2 cols. Client a (n=2) touches rows 0 and 2; client b (n=6) touches row 2 only.
        ModelState global = state(3, 2, 0f, 0f, 5f, 5f, 1f, 1f);
        FitResult a = sparse("a", 2, 2, new int[] {0, 2}, 4f, 4f, 8f, 0f);
        FitResult b = sparse("b", 6, 2, new int[] {2}, 0f, 8f);
        ModelUpdate mean = Aggregation.weightedMeanDelta(global, List.of(a, b));
        TableDelta.SparseRows d = (TableDelta.SparseRows) mean.deltas().get("t");
        assertThat(d.rows()).containsExactly(0, 2);
        // row 0: only a -> [4, 4]; row 2: (2*[8,0] + 6*[0,8]) / 8 = [2, 6]
        assertThat(d.values()).containsExactly(4f, 4f, 2f, 6f);
        ModelState next = Aggregation.applyDelta(global, mean, 1.0);
        assertThat(next.table("t").data()).containsExactly(4f, 4f, 5f, 5f, 3f, 7f);
    }

    @Test
    void mixedDenseAndSparseGivesDenseWithPerRowWeights() {
        ModelState global = state(2, 1, 0f, 0f);
        ModelUpdate mean = Aggregation.weightedMeanDelta(global,
                List.of(dense("a", 1, 2f, 2f), sparse("b", 1, 1, new int[] {1}, 4f)));
        assertThat(((TableDelta.Dense) mean.deltas().get("t")).values()).containsExactly(2f, 3f);
    }

    @Test
    void clientsWithZeroExamplesCarryNoWeight() {
        ModelState global = state(1, 1, 0f);
        ModelUpdate mean = Aggregation.weightedMeanDelta(global, List.of(dense("a", 0, 100f), dense("b", 5, 1f)));
        assertThat(((TableDelta.Dense) mean.deltas().get("t")).values()).containsExactly(1f);
    }

    @Test
    void aMalformedUpdateIsRejectedNamingTheClientAndTable() {
        ModelState global = state(2, 1, 0f, 0f);
        assertThatThrownBy(() -> Aggregation.weightedMeanDelta(global, List.of(dense("phone-7", 1, 1f, 2f, 3f))))
                .hasMessageContaining("phone-7").hasMessageContaining("'t'");
        assertThatThrownBy(() -> Aggregation.weightedMeanDelta(global,
                List.of(sparse("phone-8", 1, 1, new int[] {5}, 1f))))
                .hasMessageContaining("phone-8").hasMessageContaining("row 5");
    }

    @Test
    void metricMeansAreExampleWeighted() {
        Map<String, Double> m = Aggregation.weightedMetricMeans(
                List.of(new FitResult("a", 1, new ModelUpdate(Map.of()), Map.of("loss", 1.0)),
                        new FitResult("b", 3, new ModelUpdate(Map.of()), Map.of("loss", 3.0))),
                FitResult::numExamples, FitResult::metrics);
        assertThat(m.get("loss")).isCloseTo(2.5, within(1e-12));
    }
}
