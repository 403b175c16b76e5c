package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class L2ClippingTest {

    static final ModelState GLOBAL = new ModelState(Map.of(
            "items", FloatTable.zeros(4, 2), "w", FloatTable.zeros(1, 2)));
    static final FitInstruction INSTRUCTION = new FitInstruction("u1", GLOBAL, RoundConfig.EMPTY);
    static final ClientContext CONTEXT = new ClientContext(1, RandomSource.seeded(7));

    /** Dense w = [3, 0] and sparse items row 2 = [0, 4]: norm sqrt(9 + 16) = 5 over both tables. */
    static FitResult normFive() {
        Map<String, TableDelta> deltas = new LinkedHashMap<>();
        deltas.put("w", new TableDelta.Dense(new float[] {3f, 0f}));
        deltas.put("items", new TableDelta.SparseRows(2, new int[] {2}, new float[] {0f, 4f}));
        return new FitResult("u1", 10, new ModelUpdate(deltas), Map.of("loss", 0.7));
    }

    @Test
    void anUpdateOfNormFiveIsScaledByOneFifthAcrossAllTablesIncludingSparseRows() {
        FitResult in = normFive();
        FitResult out = new L2Clipping(1.0).afterFit(INSTRUCTION, in, CONTEXT);

        assertThat(((TableDelta.Dense) out.update().deltas().get("w")).values()).containsExactly(0.6f, 0f);
        TableDelta.SparseRows items = (TableDelta.SparseRows) out.update().deltas().get("items");
        assertThat(items.rows()).containsExactly(2);
        assertThat(items.values()).containsExactly(0f, 0.8f);
        assertThat(L2Clipping.l2Norm(out.update())).isCloseTo(1.0, within(1e-6));
        assertThat(out.metrics()).containsEntry("loss", 0.7).containsEntry(L2Clipping.CLIPPED_METRIC, 1.0);
        assertThat(out.metrics().get(L2Clipping.NORM_METRIC)).isCloseTo(5.0, within(1e-12));
        assertThat(out.numExamples()).isEqualTo(10);
        assertThat(out.clientId()).isEqualTo("u1");

        // The input is untouched.
        assertThat(((TableDelta.Dense) in.update().deltas().get("w")).values()).containsExactly(3f, 0f);
        assertThat(((TableDelta.SparseRows) in.update().deltas().get("items")).values()).containsExactly(0f, 4f);
        assertThat(in.metrics()).containsOnlyKeys("loss");
    }

    @Test
    void encodedDeltasAreRefusedNamingTheClientAndTableNotClippedBlindly() {
        ModelUpdate encoded = new ModelUpdate(Map.of("items", new TableDelta.Encoded("q8", 4, 2, 2, new byte[9])));
        FitResult in = new FitResult("u1", 10, encoded, Map.of());
        assertThatThrownBy(() -> new L2Clipping(1.0).afterFit(INSTRUCTION, in, CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client u1: table 'items' is still encoded by codec 'q8'")
                .hasMessageContaining("L2 clipping");
        assertThatThrownBy(() -> L2Clipping.l2Norm(encoded)).hasMessageContaining("table 'items' is still encoded");
        DpFedAvg dp = new DpFedAvg(new org.fedrec.core.strategy.FedAvg(org.fedrec.core.strategy.FedAvg.Settings.defaults()),
                DpFedAvg.Settings.of(1.0, 1.0, 1, 1, 1e-5));
        dp.configureFit(1, GLOBAL, java.util.List.of("u1"), RandomSource.seeded(1));
        assertThatThrownBy(() -> dp.aggregateFit(1, GLOBAL, java.util.List.of(in), java.util.List.of()))
                .hasMessageContaining("client u1: table 'items' is still encoded");
    }

    @Test
    void anUpdateWithinTheBoundIsPassedOnUnchanged() {
        FitResult in = normFive();
        FitResult out = new L2Clipping(6.0).afterFit(INSTRUCTION, in, CONTEXT);
        assertThat(out.update()).isSameAs(in.update());
        assertThat(out.metrics()).containsEntry(L2Clipping.CLIPPED_METRIC, 0.0);
        assertThat(out.metrics().get(L2Clipping.NORM_METRIC)).isCloseTo(5.0, within(1e-12));

        FitResult empty = new FitResult("u1", 0, new ModelUpdate(Map.of()), Map.of());
        FitResult none = new L2Clipping(1.0).afterFit(INSTRUCTION, empty, CONTEXT);
        assertThat(none.metrics()).containsEntry(L2Clipping.NORM_METRIC, 0.0).containsEntry(L2Clipping.CLIPPED_METRIC, 0.0);
    }

    @Test
    void theBoundMustBePositiveAndFinite() {
        assertThatThrownBy(() -> new L2Clipping(0)).hasMessageContaining("C").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new L2Clipping(Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
    }
}
