package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class DistributedDpTest {

    static final FloatTable TABLE = FloatTable.zeros(20_000, 1);
    static final UpdateLayout LAYOUT = UpdateLayout.builder(new FixedPoint(8.0, 0x1p20, 64))
            .wholeTable("w", TABLE).build();

    @Test
    void theEffectiveMultiplierShrinksWithTheSquareRootOfTheContributors() {
        assertThat(DistributedDp.effectiveNoiseMultiplier(1.2, 100, 100)).isEqualTo(1.2);
        assertThat(DistributedDp.effectiveNoiseMultiplier(1.2, 100, 70)).isCloseTo(1.2 * Math.sqrt(0.7), within(1e-15));
        assertThatThrownBy(() -> DistributedDp.effectiveNoiseMultiplier(1.2, 100, 101))
                .hasMessageContaining("contributors must be in [0, expected clients = 100], was 101");
    }

    /**
     * Ten clients calibrated for m = 10 with zero updates, three dropping after sharing keys: the noise in
     * the securely summed vector has the standard deviation z_eff * C of the effective multiplier, not z C.
     */
    @Test
    void theSummedNoiseMatchesTheEffectiveMultiplierWhenClientsDrop() {
        double clip = 0.5;
        double z = 1.5;
        DistributedDp dp = new DistributedDp(clip, z, 10);
        RoundSetup setup = RoundSetup.complete(4, Fixtures.ids(10), 5, LAYOUT.length(), 64);
        Map<String, long[]> inputs = new LinkedHashMap<>();
        for (String id : setup.clients()) {
            FitResult zero = new FitResult(id, 1, new ModelUpdate(Map.of("w",
                    new TableDelta.Dense(new float[TABLE.size()]))), Map.of());
            inputs.put(id, dp.encode(LAYOUT, zero, new SplittableRandom(id.hashCode())));
        }
        Map<String, Stage> drops = Map.of("c1", Stage.MASKED_INPUT, "c5", Stage.MASKED_INPUT,
                "c8", Stage.MASKED_INPUT);

        SecAggResult result = Fixtures.run(setup, inputs, drops, 3).result();

        double sumSq = 0;
        for (long v : result.sum()) {
            double x = LAYOUT.values().decode(v);
            sumSq += x * x;
        }
        double std = Math.sqrt(sumSq / result.sum().length);
        // the sample std of 20000 normals is within 2% of the truth with overwhelming probability
        assertThat(std).isCloseTo(dp.effectiveNoiseMultiplier(7) * clip, within(0.02 * z * clip));
        assertThat(std).isLessThan(0.9 * z * clip);
    }

    @Test
    void updatesAreClippedBeforeNoise() {
        DistributedDp dp = new DistributedDp(1.0, 0.0, 4);
        float[] big = new float[TABLE.size()];
        big[0] = 3;
        big[1] = 4;
        long[] x = dp.encode(LAYOUT, new FitResult("a", 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(big))),
                Map.of()), new SplittableRandom(1));
        assertThat(LAYOUT.values().decode(x[0])).isCloseTo(0.6, within(1e-6));
        assertThat(LAYOUT.values().decode(x[1])).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void aWeightedLayoutIsRefused() {
        UpdateLayout weighted = UpdateLayout.builder(new FixedPoint(8.0, 0x1p20, 64)).wholeTable("w", TABLE)
                .weightedByExamples(10).build();
        FitResult r = new FitResult("a", 1, new ModelUpdate(Map.of()), Map.of());
        assertThatThrownBy(() -> new DistributedDp(1, 1, 2).encode(weighted, r, new SplittableRandom(1)))
                .hasMessageContaining("distributed DP needs an unweighted layout");
    }
}
