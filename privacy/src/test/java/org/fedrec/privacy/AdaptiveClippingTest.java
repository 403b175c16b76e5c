package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

/** DP-FedAvg with adaptive clipping (Andrew et al. 2021): the geometric step, z_Δ, and a whole round. */
class AdaptiveClippingTest {

    static final Strategy SELECT_ALL = new FedAvg(FedAvg.Settings.defaults());
    static final List<String> CLIENTS = List.of("a", "b", "c", "d");

    static ModelState global() {
        return new ModelState(Map.of("w", FloatTable.zeros(1, 2)));
    }

    /** A client's update w = [x, 0] with its clipping bit as L2Clipping reports it. */
    static FitResult client(String id, float x, boolean clipped) {
        return new FitResult(id, 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {x, 0f}))),
                Map.of(L2Clipping.CLIPPED_METRIC, clipped ? 1.0 : 0.0));
    }

    static DpFedAvg adaptive(double z, double cohort, double countStd) {
        return new DpFedAvg(SELECT_ALL, new DpFedAvg.Settings(1.0, z, cohort, 10, 1e-5, 1.0, Set.of())
                .withAdaptiveClipping(new DpFedAvg.AdaptiveClipping(0.5, 0.2, countStd)));
    }

    @Test
    void theGeometricStepMovesTheBoundAgainstTheExcessOfUnclippedUpdates() {
        // 80% within C against a target of 50%, eta 0.2: C * exp(-0.2 * 0.3) = exp(-0.06) = 0.94176453358...
        assertThat(DpFedAvg.nextClip(1.0, 0.8, 0.5, 0.2)).isCloseTo(0.9417645335842487, within(1e-15));
        // 20% within: the bound grows by the same factor.
        assertThat(DpFedAvg.nextClip(2.0, 0.2, 0.5, 0.2)).isCloseTo(2.0 / 0.9417645335842487, within(1e-14));
        assertThat(DpFedAvg.nextClip(3.0, 0.5, 0.5, 0.2)).isEqualTo(3.0);
    }

    @Test
    void theUpdateNoiseMultiplierLeavesTheTotalAtZ() {
        // z = 1, sigma_b = 2: (1 - 1/16)^(-1/2) = 1.03279555898864...
        double zDelta = DpFedAvg.updateNoiseMultiplier(1.0, 2.0);
        assertThat(zDelta).isCloseTo(1.0327955589886446, within(1e-15));
        // Theorem 1: z_Delta^-2 + (2 sigma_b)^-2 = z^-2.
        for (double[] zs : new double[][] {{0.5, 5.0}, {1.0, 0.6}, {2.0, 15.0}}) {
            double zd = DpFedAvg.updateNoiseMultiplier(zs[0], zs[1]);
            assertThat(1 / (zd * zd) + 1 / (4 * zs[1] * zs[1])).isCloseTo(1 / (zs[0] * zs[0]), within(1e-12));
            assertThat(zd).isGreaterThan(zs[0]);
        }
        assertThat(DpFedAvg.updateNoiseMultiplier(0.0, 0.0)).isZero();
        assertThatThrownBy(() -> DpFedAvg.updateNoiseMultiplier(1.0, 0.5)).hasMessageContaining("sigma_b > z / 2 = 0.5")
                .hasMessageContaining("was 0.5");
        assertThatThrownBy(() -> adaptive(1.0, 4, 0.4)).hasMessageContaining("was 0.4");
    }

    @Test
    void aRoundWithoutNoiseCountsTheBitsOverTheExpectedCohortAndTheNextRoundUsesTheNewBound() {
        // z = 0 and sigma_b = 0: exact. Expected cohort m = 5, four results, three within C = 1:
        // centred sum 3 * 1/2 - 1/2 = 1, b = 1/5 + 1/2 = 0.7; C' = exp(-0.2 * (0.7 - 0.5)) = 0.96078943915...
        DpFedAvg dp = adaptive(0.0, 5, 0.0);
        ModelState global = global();
        List<FitInstruction> first = dp.configureFit(1, global, CLIENTS, RandomSource.seeded(1));
        assertThat(first).allSatisfy(i -> assertThat(i.config().getDouble(L2Clipping.CLIP_KEY, -1)).isEqualTo(1.0));
        List<FitResult> results = List.of(client("a", 0.5f, false), client("b", 0.25f, false), client("c", 1f, true),
                client("d", 0.25f, false));
        Strategy.Aggregate agg = dp.aggregateFit(1, global, results, List.of());
        assertThat(agg.metrics().get(DpFedAvg.CLIP_METRIC)).isEqualTo(1.0);
        assertThat(agg.metrics().get(DpFedAvg.UNCLIPPED_FRACTION_METRIC)).isCloseTo(0.7, within(1e-12));
        double next = 0.9607894391523232;
        assertThat(dp.currentClip()).isCloseTo(next, within(1e-12));
        // The step itself: (0.5 + 0.25 + 1 + 0.25) / 5 = 0.4.
        assertThat(agg.next().table("w").data()[0]).isCloseTo(0.4f, within(1e-6f));

        // Round 2 tells clients the new bound and clips at it on the server too: a client at 1.0 is cut to C'.
        List<FitInstruction> second = dp.configureFit(2, agg.next(), CLIENTS, RandomSource.seeded(1));
        assertThat(second).allSatisfy(i -> assertThat(i.config().getDouble(L2Clipping.CLIP_KEY, -1))
                .isCloseTo(next, within(1e-12)));
        Strategy.Aggregate agg2 = dp.aggregateFit(2, agg.next(), List.of(client("a", 1f, false)), List.of());
        assertThat(agg2.metrics().get(DpFedAvg.SERVER_CLIPPED_METRIC)).isEqualTo(1.0);
        assertThat(agg2.next().table("w").data()[0]).isCloseTo((float) (0.4 + next / 5), within(1e-6f));
        assertThat(agg2.metrics().get(DpFedAvg.CLIP_METRIC)).isCloseTo(next, within(1e-12));
    }

    @Test
    void theCountIsNoisedWithSigmaBAndTheUpdateWithZDeltaTimesC() {
        // z = 1, sigma_b = 2, m = 4; every client within C, so the exact fraction is 1. Over 2000 rounds
        // (b - 1) * m has the standard deviation sigma_b = 2 (standard error of the std ~ 2 / sqrt(4000) = 0.03).
        DpFedAvg dp = adaptive(1.0, 4, 2.0);
        ModelState global = global();
        List<FitResult> results = new ArrayList<>();
        for (String id : CLIENTS) {
            results.add(client(id, 0f, false));
        }
        double sum = 0;
        double sumSq = 0;
        int rounds = 2000;
        for (int r = 1; r <= rounds; r++) {
            dp.configureFit(r, global, CLIENTS, RandomSource.seeded(7).split("sample-fit", r));
            Strategy.Aggregate agg = dp.aggregateFit(r, global, results, List.of());
            double e = (agg.metrics().get(DpFedAvg.UNCLIPPED_FRACTION_METRIC) - 1) * 4;
            sum += e;
            sumSq += e * e;
            if (r == 1) {
                assertThat(agg.metrics().get(DpFedAvg.NOISE_STD_METRIC))
                        .isCloseTo(1.0327955589886446 * 1.0 / 4, within(1e-12));
            }
        }
        double mean = sum / rounds;
        assertThat(mean).isCloseTo(0.0, within(0.2));
        assertThat(Math.sqrt(sumSq / rounds - mean * mean)).isCloseTo(2.0, within(0.15));
        // The accountant charges the configured z = 1, not z_Delta.
        assertThat(dp.epsilonAfter(3)).isEqualTo(new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 1.0, 4, 10, 1e-5))
                .epsilonAfter(3));
    }

    @Test
    void aClientWithoutItsClippingBitIsNamed() {
        DpFedAvg dp = adaptive(1.0, 4, 2.0);
        dp.configureFit(3, global(), CLIENTS, RandomSource.seeded(1));
        FitResult silent = new FitResult("b", 1, new ModelUpdate(Map.of()), Map.of());
        assertThatThrownBy(() -> dp.aggregateFit(3, global(), List.of(client("a", 0f, false), silent), List.of()))
                .hasMessageContaining("client b").hasMessageContaining("round 3").hasMessageContaining("'clipped'");
    }

    @Test
    void adaptiveClippingIsRefusedWithLocalNoise() {
        DpFedAvg.Settings s = DpFedAvg.Settings.of(1.0, 1.0, 4, 10, 1e-5)
                .withAdaptiveClipping(new DpFedAvg.AdaptiveClipping(0.5, 0.2, 2.0));
        assertThatThrownBy(() -> s.withLocalNoiseMultiplier(3.0)).hasMessageContaining("local")
                .hasMessageContaining("3.0");
        assertThatThrownBy(() -> new DpFedAvg.AdaptiveClipping(1.0, 0.2, 1)).hasMessageContaining("quantile")
                .hasMessageContaining("1.0");
    }
}
