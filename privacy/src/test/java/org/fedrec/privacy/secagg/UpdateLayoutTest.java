package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.Aggregation;
import org.junit.jupiter.api.Test;

/**
 * Client updates through the layout, secure aggregation and back give the FedAvg mean that
 * {@link Aggregation#weightedMeanDelta} computes in the clear, for sparse item rows and a dense table.
 */
class UpdateLayoutTest {

    static final FixedPoint VALUES = new FixedPoint(1.0, 0x1p24, 64);
    static final ModelState GLOBAL = new ModelState(Map.of("items", FloatTable.zeros(50, 4),
            "bias", FloatTable.zeros(1, 1)));

    /** Six clients, each touching 3 to 8 random item rows and the bias, with 1 to 100 examples. */
    static List<FitResult> results() {
        SplittableRandom rng = new SplittableRandom(12);
        List<FitResult> out = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            TreeSet<Integer> rows = new TreeSet<>();
            int count = 3 + rng.nextInt(6);
            while (rows.size() < count) {
                rows.add(rng.nextInt(40)); // rows 40..49 are never touched
            }
            int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
            float[] v = new float[r.length * 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextDouble(-0.5, 0.5);
            }
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            deltas.put("items", new TableDelta.SparseRows(4, r, v));
            deltas.put("bias", new TableDelta.Dense(new float[] {(float) rng.nextDouble(-0.5, 0.5)}));
            out.add(new FitResult("c" + k, 1 + rng.nextInt(100), new ModelUpdate(deltas), Map.of()));
        }
        return out;
    }

    static long[] secureSum(UpdateLayout layout, List<FitResult> results) {
        List<String> ids = results.stream().map(FitResult::clientId).toList();
        RoundSetup setup = RoundSetup.complete(1, ids, 3, layout.length(), 64);
        layout.requireCapacity(ids.size());
        Map<String, long[]> inputs = new LinkedHashMap<>();
        results.forEach(r -> inputs.put(r.clientId(), layout.encode(r)));
        return Fixtures.run(setup, inputs, Map.of(), 2).result().sum();
    }

    @Test
    void declaredRowsGiveTheSparseFedAvgMean() {
        int[] declared = new int[50];
        Arrays.setAll(declared, i -> i); // the whole catalogue, declared row by row
        UpdateLayout layout = UpdateLayout.builder(VALUES).rows("items", GLOBAL.table("items"), declared)
                .wholeTable("bias", GLOBAL.table("bias")).weightedByExamples(100).build();
        List<FitResult> results = results();

        ModelUpdate secure = layout.weightedMean(secureSum(layout, results));
        ModelUpdate clear = Aggregation.weightedMeanDelta(GLOBAL, results);

        TableDelta.SparseRows s = (TableDelta.SparseRows) secure.deltas().get("items");
        TableDelta.SparseRows c = (TableDelta.SparseRows) clear.deltas().get("items");
        assertThat(s.rows()).isEqualTo(c.rows());
        assertValuesClose(s.values(), c.values());
        assertValuesClose(((TableDelta.Dense) secure.deltas().get("bias")).values(),
                ((TableDelta.Dense) clear.deltas().get("bias")).values());
    }

    @Test
    void wholeTablesGiveADenseMeanWithZeroChangeOnUntouchedRows() {
        UpdateLayout layout = UpdateLayout.builder(VALUES).wholeTable("items", GLOBAL.table("items"))
                .wholeTable("bias", GLOBAL.table("bias")).weightedByExamples(100).build();
        List<FitResult> results = results();

        ModelState secure = Aggregation.applyDelta(GLOBAL, layout.weightedMean(secureSum(layout, results)), 1.0);
        ModelState clear = Aggregation.applyDelta(GLOBAL, Aggregation.weightedMeanDelta(GLOBAL, results), 1.0);

        assertValuesClose(secure.table("items").data(), clear.table("items").data());
        assertThat(Arrays.copyOfRange(secure.table("items").data(), 40 * 4, 50 * 4)).containsOnly(0f);
    }

    static void assertValuesClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    @Test
    void anUndeclaredRowOrTableIsRefusedNamingTheClient() {
        UpdateLayout layout = UpdateLayout.builder(VALUES).rows("items", GLOBAL.table("items"), new int[] {1, 2, 3})
                .build();
        FitResult r = new FitResult("c9", 5, new ModelUpdate(Map.of("items",
                new TableDelta.SparseRows(4, new int[] {2, 7}, new float[8]))), Map.of());
        assertThatThrownBy(() -> layout.encode(r)).hasMessage("client c9 sent row 7 of table 'items', which this "
                + "round's secure-aggregation layout does not declare");
        FitResult bias = new FitResult("c8", 5, new ModelUpdate(Map.of("bias", new TableDelta.Dense(new float[1]))),
                Map.of());
        assertThatThrownBy(() -> layout.encode(bias)).hasMessageContaining("client c8 sent a delta for table 'bias'");
    }

    @Test
    void anUnweightedLayoutSumsEveryDeclaredRowOverAFixedDenominator() {
        UpdateLayout layout = UpdateLayout.builder(VALUES).rows("items", GLOBAL.table("items"), new int[] {1, 2})
                .build();
        FitResult a = new FitResult("a", 1, new ModelUpdate(Map.of("items",
                new TableDelta.SparseRows(4, new int[] {1}, new float[] {0.5f, 0.25f, 0.125f, 0.75f}))), Map.of());
        FitResult b = new FitResult("b", 9, new ModelUpdate(Map.of("items",
                new TableDelta.SparseRows(4, new int[] {1}, new float[] {0.5f, 0, 0, 0}))), Map.of());
        long[] sum = new long[layout.length()];
        for (FitResult r : List.of(a, b)) {
            long[] x = layout.encode(r);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += x[i];
            }
        }
        TableDelta.SparseRows mean = (TableDelta.SparseRows) layout.sum(sum, 4).deltas().get("items");
        assertThat(mean.rows()).containsExactly(1, 2);
        assertThat(mean.values()).containsExactly(0.25f, 0.0625f, 0.03125f, 0.1875f, 0f, 0f, 0f, 0f);
    }
}
