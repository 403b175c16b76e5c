package org.fedrec.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.fedrec.core.CleartextSum;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SecureRowSumFedAvgTest {

    private static ModelState global() {
        Map<String, FloatTable> t = new LinkedHashMap<>();
        t.put("items", FloatTable.zeros(6, 2));
        t.put("layer", FloatTable.zeros(2, 3));
        return new ModelState(t);
    }

    private static FitResult result(String id, long n, int[] rows, float[] rowValues, float[] layer) {
        Map<String, TableDelta> d = new LinkedHashMap<>();
        d.put("items", new TableDelta.SparseRows(2, rows, rowValues));
        d.put("layer", new TableDelta.Dense(layer));
        return new FitResult(id, n, new ModelUpdate(d), Map.of());
    }

    @Test
    void totalsAreThePerRowSumsAndCountsAndTheMeanIsTheirRatio() {
        ModelState global = global();
        List<FitResult> results = List.of(
                result("a", 5, new int[] {0, 3}, new float[] {1, 2, 3, 4}, new float[] {1, 1, 1, 1, 1, 1}),
                result("b", 9, new int[] {3, 4}, new float[] {5, 6, 7, 8}, new float[] {3, 3, 3, 3, 3, 3}));
        SecureRowSumFedAvg.CohortTotals totals = SecureRowSumFedAvg.totals(1, global, results, new CleartextSum());
        SecureRowSumFedAvg.CohortTotals.Table items = totals.tables().get("items");
        assertThat(items.counts()).containsExactly(1, 0, 0, 2, 1, 0);
        assertThat(items.sums()).containsExactly(1, 2, 0, 0, 0, 0, 8, 10, 7, 8, 0, 0);
        assertThat(totals.tables().get("layer").counts()).containsExactly(2, 2);

        ModelUpdate mean = totals.meanDelta();
        TableDelta.SparseRows rows = (TableDelta.SparseRows) mean.deltas().get("items");
        assertThat(rows.rows()).containsExactly(0, 3, 4);
        // Each client weighs 1 on a row, whatever its example count.
        assertThat(rows.values()).containsExactly(1, 2, 4, 5, 7, 8);
        assertThat(((TableDelta.Dense) mean.deltas().get("layer")).values()).containsExactly(2, 2, 2, 2, 2, 2);
    }

    /** With every example count 1, the secure mean is FedAvg's per-row mean: only the route differs. */
    @Property(tries = 50)
    void equalsThePerRowMeanOfAggregationForUnitWeights(@ForAll @IntRange(min = 2, max = 6) int clients,
                                                          @ForAll long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        ModelState global = global();
        List<FitResult> results = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            TreeSet<Integer> touched = new TreeSet<>();
            int count = 1 + rng.nextInt(6);
            while (touched.size() < count) {
                touched.add(rng.nextInt(6));
            }
            int[] rows = touched.stream().mapToInt(Integer::intValue).toArray();
            float[] values = new float[rows.length * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rng.nextGaussian();
            }
            float[] layer = new float[6];
            for (int i = 0; i < layer.length; i++) {
                layer[i] = (float) rng.nextGaussian();
            }
            results.add(result("c" + k, 1, rows, values, layer));
        }
        ModelState secure = Aggregation.applyDelta(global,
                SecureRowSumFedAvg.totals(1, global, results, new CleartextSum()).meanDelta(), 1.0);
        ModelState plain = Aggregation.applyDelta(global, Aggregation.weightedMeanDelta(global, results), 1.0);
        for (String name : List.of("items", "layer")) {
            float[] s = secure.table(name).data();
            float[] p = plain.table(name).data();
            for (int i = 0; i < s.length; i++) {
                assertThat(s[i]).as("%s[%d]", name, i).isCloseTo(p[i], within(1e-5f));
            }
        }
    }

    @Test
    void aRoundBelowTheMinimumCohortKeepsTheModelAndReportsTheFullVectorCost() {
        ModelState global = global();
        SecureRowSumFedAvg strategy = new SecureRowSumFedAvg(new FedAvg(FedAvg.Settings.defaults()), new CleartextSum(), 3);
        List<FitResult> two = List.of(
                result("a", 1, new int[] {0}, new float[] {1, 1}, new float[6]),
                result("b", 1, new int[] {1}, new float[] {1, 1}, new float[6]));
        var skipped = strategy.aggregateFit(1, global, two, List.of());
        assertThat(skipped.next()).isSameAs(global);
        assertThat(skipped.metrics().get(SecureRowSumFedAvg.SKIPPED_METRIC)).isEqualTo(1.0);
        // 6 x (2 + 1) + 2 x (3 + 1) = 26 floats per client, 104 bytes.
        assertThat(skipped.metrics().get(Aggregation.UPLINK_BYTES)).isEqualTo(2 * 104.0);
        assertThatThrownBy(() -> new SecureRowSumFedAvg(new FedAvg(FedAvg.Settings.defaults()), new CleartextSum(), 1))
                .hasMessageContaining("minClients >= 2").hasMessageContaining("found 1");
    }

    @Test
    void cleartextSumNamesTheClientWhoseVectorDoesNotFit() {
        assertThatThrownBy(() -> new CleartextSum().sum(4, List.of("a", "b"), List.of(new float[3], new float[2])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("round 4").hasMessageContaining("client b").hasMessageContaining("2 values");
    }
}
