package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

/** A round of SecureFedAvg moves the model where FedAvg in the clear does, up to fixed-point rounding. */
class SecureFedAvgTest {

    static final ModelState GLOBAL = new ModelState(Map.of("items", FloatTable.zeros(30, 3),
            "dense", FloatTable.zeros(2, 2)));
    static final FixedPoint VALUES = new FixedPoint(1.0, 0x1p24, 64);

    static List<FitResult> results(int clients) {
        SplittableRandom rng = new SplittableRandom(5);
        List<FitResult> out = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            TreeSet<Integer> rows = new TreeSet<>();
            while (rows.size() < 4) {
                rows.add(rng.nextInt(30));
            }
            float[] v = new float[12];
            float[] d = new float[4];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextDouble(-0.3, 0.3);
            }
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rng.nextDouble(-0.3, 0.3);
            }
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            deltas.put("items", new TableDelta.SparseRows(3, rows.stream().mapToInt(Integer::intValue).toArray(), v));
            deltas.put("dense", new TableDelta.Dense(d));
            out.add(new FitResult("c" + k, 1 + rng.nextInt(50), new ModelUpdate(deltas), Map.of()));
        }
        return out;
    }

    static Strategy.Aggregate round(Strategy s, List<FitResult> results) {
        List<String> ids = results.stream().map(FitResult::clientId).toList();
        s.configureFit(1, GLOBAL, ids, RandomSource.seeded(9).split("round", 1));
        return s.aggregateFit(1, GLOBAL, results, List.of());
    }

    @Test
    void completeAndSecAggPlusRoundsMatchFedAvgInTheClear() {
        FedAvg fedAvg = new FedAvg(FedAvg.Settings.defaults().withServerLearningRate(0.5));
        List<FitResult> results = results(9);
        ModelState clear = round(fedAvg, results).next();
        for (int degree : new int[] {0, 4}) {
            Strategy.Aggregate secure = round(new SecureFedAvg(fedAvg,
                    new SecureFedAvg.Settings(VALUES, 50, degree, 0.6)), results);
            for (String table : List.of("items", "dense")) {
                float[] a = secure.next().table(table).data();
                float[] b = clear.table(table).data();
                for (int i = 0; i < a.length; i++) {
                    assertThat(a[i]).as("degree %d, %s[%d]", degree, table, i).isCloseTo(b[i], within(1e-5f));
                }
            }
            assertThat(secure.metrics()).containsEntry(SecureFedAvg.CONTRIBUTORS_METRIC, 9.0);
            assertThat(secure.metrics().get(SecureFedAvg.CLIENT_BYTES_UP_METRIC))
                    .as("a client sends at least its (30x3 + 2x2) values and 32 row weights as 8-byte words")
                    .isGreaterThan(8.0 * (90 + 4 + 32));
        }
    }

    @Test
    void aRoundWithOneResultKeepsTheModel() {
        FedAvg fedAvg = new FedAvg(FedAvg.Settings.defaults());
        Strategy.Aggregate a = round(new SecureFedAvg(fedAvg, new SecureFedAvg.Settings(VALUES, 50, 0, 0.5)),
                results(1));
        assertThat(a.next()).isSameAs(GLOBAL);
        assertThat(a.metrics()).containsEntry(SecureFedAvg.CONTRIBUTORS_METRIC, 0.0);
    }
}
