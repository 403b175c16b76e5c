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

class FedBuffTest {

    @Test
    void stalenessWeightIsThePapersInverseSquareRoot() {
        assertThat(FedBuff.stalenessWeight(0, 0.5)).isEqualTo(1.0);
        assertThat(FedBuff.stalenessWeight(3, 0.5)).isEqualTo(0.5);
        assertThat(FedBuff.stalenessWeight(8, 0.5)).isCloseTo(1 / 3.0, within(1e-15));
        assertThat(FedBuff.stalenessWeight(4, 1.0)).isEqualTo(0.2);
        assertThat(FedBuff.stalenessWeight(99, 0.0)).isEqualTo(1.0);
        assertThatThrownBy(() -> FedBuff.stalenessWeight(-1, 0.5)).hasMessageContaining("staleness must be >= 0");
        assertThatThrownBy(() -> FedBuff.stalenessWeight(0, -1)).hasMessageContaining("exponent");
    }

    private static ModelState global() {
        return new ModelState(Map.of("items", FloatTable.zeros(4, 2), "w", FloatTable.zeros(1, 2)));
    }

    private static FitResult result(String id, long n, int[] rows, float[] rowValues, float[] dense) {
        return new FitResult(id, n, new ModelUpdate(Map.of("items", new TableDelta.SparseRows(2, rows, rowValues),
                "w", new TableDelta.Dense(dense))), Map.of());
    }

    @Test
    void aBufferOfTwoIsTheExampleWeightedMeanOfStalenessWeightedDeltasPerRow() {
        // a: 1 example, fresh (w = 1), rows 0 and 2; b: 3 examples, staleness 3 (w = 0.5), rows 2 and 3.
        FitResult a = result("a", 1, new int[] {0, 2}, new float[] {1, 2, 4, 4}, new float[] {8, 0});
        FitResult b = result("b", 3, new int[] {2, 3}, new float[] {8, 0, 2, 2}, new float[] {0, 8});
        ModelUpdate mean = FedBuff.bufferedDelta(global(),
                List.of(new FedBuff.Buffered(a, 0), new FedBuff.Buffered(b, 3)), 0.5);
        TableDelta.SparseRows items = (TableDelta.SparseRows) mean.deltas().get("items");
        assertThat(items.rows()).containsExactly(0, 2, 3);
        // row 0: only a: 1*1*(1,2)/1 = (1,2)
        // row 2: (1*1*(4,4) + 3*0.5*(8,0)) / (1+3) = (16/4, 4/4) = (4, 1)
        // row 3: only b: 3*0.5*(2,2)/3 = (1, 1)
        assertThat(items.values()).containsExactly(1, 2, 4, 1, 1, 1);
        // dense: (1*(8,0) + 3*0.5*(0,8)) / 4 = (2, 3)
        assertThat(((TableDelta.Dense) mean.deltas().get("w")).values()).containsExactly(2, 3);
    }

    @Test
    void freshResultsGiveFedAvgsMeanAndInputsAreNotModified() {
        FitResult a = result("a", 2, new int[] {1}, new float[] {3, 3}, new float[] {1, 1});
        FitResult b = result("b", 2, new int[] {1}, new float[] {1, 1}, new float[] {3, 3});
        ModelUpdate buffered = FedBuff.bufferedDelta(global(),
                List.of(new FedBuff.Buffered(a, 0), new FedBuff.Buffered(b, 0)), 0.5);
        ModelUpdate fedAvg = Aggregation.weightedMeanDelta(global(), List.of(a, b));
        assertThat(((TableDelta.SparseRows) buffered.deltas().get("items")).values())
                .containsExactly(((TableDelta.SparseRows) fedAvg.deltas().get("items")).values());
        ModelUpdate stale = FedBuff.bufferedDelta(global(),
                List.of(new FedBuff.Buffered(a, 8), new FedBuff.Buffered(b, 8)), 0.5);
        assertThat(((TableDelta.SparseRows) stale.deltas().get("items")).values()).containsExactly(2 / 3f, 2 / 3f);
        assertThat(((TableDelta.SparseRows) a.update().deltas().get("items")).values()).containsExactly(3, 3);
    }
}
