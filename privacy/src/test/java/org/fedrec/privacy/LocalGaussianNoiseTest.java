package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

class LocalGaussianNoiseTest {

    /** items 2000 x 25 and a dense w of 2; the client touched items row 3 and w. */
    static final ModelState GLOBAL = new ModelState(Map.of("items", FloatTable.zeros(2000, 25), "w", FloatTable.zeros(1, 2)));

    /** Sparse items row 3 = [0, 4, 0...] and dense w = [3, 0]: norm 5. */
    static FitResult normFive(String id) {
        float[] row = new float[25];
        row[1] = 4f;
        Map<String, TableDelta> deltas = new LinkedHashMap<>();
        deltas.put("items", new TableDelta.SparseRows(25, new int[] {3}, row));
        deltas.put("w", new TableDelta.Dense(new float[] {3f, 0f}));
        return new FitResult(id, 7, new ModelUpdate(deltas), Map.of("loss", 0.5));
    }

    static FitInstruction instruction(String id, double clip) {
        return new FitInstruction(id, GLOBAL, RoundConfig.EMPTY.with(L2Clipping.CLIP_KEY, clip));
    }

    @Test
    void theClientClipsToTheRoundsBoundThenNoisesEveryValueOfEveryTable() {
        // Round C = 2 (the server's, not the interceptor's default 1): the update is scaled by 2/5; noise std
        // z * C = 1.5 * 2 = 3 on all 50,002 values.
        LocalGaussianNoise local = new LocalGaussianNoise(new L2Clipping(1.0), 1.5, 1e-5);
        FitResult in = normFive("u1");
        ClientContext ctx = new ClientContext(4, RandomSource.seeded(11).split("fit", 4, "u1"));
        FitResult out = local.afterFit(instruction("u1", 2.0), in, ctx);

        assertThat(out.update().deltas()).containsOnlyKeys("items", "w");
        assertThat(out.update().deltas().values()).allMatch(d -> d instanceof TableDelta.Dense);
        float[] items = ((TableDelta.Dense) out.update().deltas().get("items")).values();
        assertThat(items).hasSize(50_000);
        double sum = 0;
        double sumSq = 0;
        int zeros = 0;
        for (int i = 0; i < items.length; i++) {
            double noise = items[i] - (i == 3 * 25 + 1 ? 4 * 0.4 : 0);
            sum += noise;
            sumSq += noise * noise;
            zeros += items[i] == 0 ? 1 : 0;
        }
        double mean = sum / items.length;
        // Standard errors: of the mean 3 / sqrt(50000) ~ 0.013, of the std 3 / sqrt(100000) ~ 0.0095.
        assertThat(mean).isCloseTo(0.0, within(0.07));
        assertThat(Math.sqrt(sumSq / items.length - mean * mean)).isCloseTo(3.0, within(0.05));
        assertThat(zeros).as("untouched rows are noised too").isZero();
        assertThat(out.metrics()).containsEntry("loss", 0.5).containsEntry(L2Clipping.CLIPPED_METRIC, 1.0)
                .containsEntry(LocalGaussianNoise.LOCAL_EPSILON_METRIC, LocalGaussianNoise.epsilon(1.5, 1, 1e-5));
        assertThat(out.numExamples()).isEqualTo(7);

        // Reproducible from the client's round source; the input is untouched.
        assertThat(((TableDelta.Dense) local.afterFit(instruction("u1", 2.0), in, ctx).update().deltas().get("items"))
                .values()).containsExactly(items);
        assertThat(((TableDelta.SparseRows) in.update().deltas().get("items")).values()[1]).isEqualTo(4f);
        assertThat(((TableDelta.Dense) in.update().deltas().get("w")).values()).containsExactly(3f, 0f);
    }

    @Test
    void localEpsilonIsTheUnsampledGaussianMechanismComposedOverParticipations() {
        // q = 1: RDP(alpha) = k * alpha / (2 z^2); the accountant's conversion over its grid gives epsilon.
        for (int k : new int[] {1, 5, 40}) {
            double expected = RdpAccountant.create().compose(1.0, 2.0, k).epsilon(1e-5, Conversion.IMPROVED).epsilon();
            assertThat(LocalGaussianNoise.epsilon(2.0, k, 1e-5)).isEqualTo(expected);
        }
        // RDP at q = 1 is alpha / (2 z^2): k rounds at z cost what one round at z / sqrt(k) costs.
        assertThat(LocalGaussianNoise.epsilon(2.0, 4, 1e-5)).isCloseTo(LocalGaussianNoise.epsilon(1.0, 1, 1e-5),
                within(1e-9));
        assertThat(LocalGaussianNoise.epsilon(2.0, 0, 1e-5)).isZero();
        assertThatThrownBy(() -> new LocalGaussianNoise(new L2Clipping(1.0), 0, 1e-5)).hasMessageContaining("0.0");
    }

    @Test
    void theServerDoesNotClipLocallyNoisedUpdatesAndReportsTheMostFrequentClientsLocalEpsilon() {
        ModelState global = new ModelState(Map.of("w", FloatTable.zeros(1, 2)));
        DpFedAvg dp = new DpFedAvg(new FedAvg(FedAvg.Settings.defaults()),
                new DpFedAvg.Settings(1.0, 0.0, 2, 10, 1e-5, 1.0, Set.of()).withLocalNoiseMultiplier(3.0));
        FitResult big = new FitResult("a", 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {30f, 40f}))),
                Map.of());
        FitResult small = new FitResult("b", 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {1f, 1f}))),
                Map.of());
        dp.configureFit(1, global, List.of("a", "b"), RandomSource.seeded(1));
        Strategy.Aggregate r1 = dp.aggregateFit(1, global, List.of(big, small), List.of());
        // Not clipped: (30 + 1) / 2, (40 + 1) / 2.
        assertThat(r1.next().table("w").data()).containsExactly(15.5f, 20.5f);
        assertThat(r1.metrics()).containsEntry(DpFedAvg.SERVER_CLIPPED_METRIC, 0.0)
                .containsEntry(DpFedAvg.LOCAL_EPSILON_WORST_METRIC, LocalGaussianNoise.epsilon(3.0, 1, 1e-5));
        dp.configureFit(2, global, List.of("a", "b"), RandomSource.seeded(1));
        Strategy.Aggregate r2 = dp.aggregateFit(2, global, List.of(big), List.of());
        assertThat(r2.metrics()).containsEntry(DpFedAvg.LOCAL_EPSILON_WORST_METRIC, LocalGaussianNoise.epsilon(3.0, 2, 1e-5));
    }
}
