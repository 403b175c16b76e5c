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

class DpFedAvgTest {

    static final Strategy SELECT_ALL = new FedAvg(FedAvg.Settings.defaults());
    static final RandomSource SEED = RandomSource.seeded(2018);

    /** items 3x2 of zeros and a 1x1 bias of 1. */
    static ModelState global() {
        Map<String, FloatTable> t = new LinkedHashMap<>();
        t.put("items", FloatTable.zeros(3, 2));
        t.put("bias", new FloatTable(1, 1, new float[] {1f}));
        return new ModelState(t);
    }

    static FitResult update(String id, long n, Map<String, TableDelta> deltas) {
        return new FitResult(id, n, new ModelUpdate(deltas), Map.of("loss", 1.0));
    }

    /** Client a: items row 0 = [3, 4] (norm 5). Client b: items row 2 = [0.3, 0], bias [0.4] (norm 0.5). */
    static List<FitResult> twoClients() {
        FitResult a = update("a", 1, Map.of("items", new TableDelta.SparseRows(2, new int[] {0}, new float[] {3f, 4f})));
        Map<String, TableDelta> bDeltas = new LinkedHashMap<>();
        bDeltas.put("items", new TableDelta.SparseRows(2, new int[] {2}, new float[] {0.3f, 0f}));
        bDeltas.put("bias", new TableDelta.Dense(new float[] {0.4f}));
        FitResult b = update("b", 100, bDeltas);
        return List.of(a, b);
    }

    static Strategy.Aggregate round(DpFedAvg dp, int round, ModelState global, List<FitResult> results) {
        dp.configureFit(round, global, List.of("a", "b"), SEED.split("sample-fit", round));
        return dp.aggregateFit(round, global, results, List.of());
    }

    @Test
    void withoutNoiseTheStepIsTheEqualWeightSumOfClippedDeltasOverTheExpectedCohort() {
        // C = 1, m = 4 (two of the four expected clients answered), eta = 2.
        // a clipped: [3, 4] * 1/5 = [0.6, 0.8]; b within the bound. Weights are equal whatever n_k.
        // Sum: items [0.6, 0.8, 0, 0, 0.3, 0], bias [0.4]; / m = 4: items [0.15, 0.2, 0, 0, 0.075, 0], bias [0.1].
        // theta' = theta + 2 * delta: items [0.3, 0.4, 0, 0, 0.15, 0], bias 1 + 0.2 = 1.2.
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, new DpFedAvg.Settings(1.0, 0.0, 4, 10, 1e-5, 2.0, Set.of()));
        ModelState global = global();
        List<FitResult> clipped = List.of(
                new L2Clipping(1.0).afterFit(new FitInstruction("a", global, RoundConfig.EMPTY), twoClients().get(0),
                        new ClientContext(1, SEED)),
                twoClients().get(1));

        Strategy.Aggregate agg = round(dp, 1, global, clipped);

        assertThat(agg.next().table("items").data()).containsExactly(new float[] {0.3f, 0.4f, 0f, 0f, 0.15f, 0f},
                within(1e-6f));
        assertThat(agg.next().table("bias").data()).containsExactly(new float[] {1.2f}, within(1e-6f));
        assertThat(agg.metrics()).containsEntry(DpFedAvg.SERVER_CLIPPED_METRIC, 0.0)
                .containsEntry(DpFedAvg.NOISE_STD_METRIC, 0.0)
                .containsEntry(DpFedAvg.EPSILON_METRIC, Double.POSITIVE_INFINITY)
                .containsEntry("fit_clients", 2.0);

        // A client that skipped its interceptor is clipped by the server, to the same result.
        Strategy.Aggregate raw = round(dp, 1, global, twoClients());
        assertThat(raw.next()).isEqualTo(agg.next());
        assertThat(raw.metrics()).containsEntry(DpFedAvg.SERVER_CLIPPED_METRIC, 1.0);
    }

    @Test
    void withPoissonSamplingTheMeanDividesByTheExpectedCohortNotTheRealisedOne() {
        // q = 0.25 of N = 10: m = 2.5 whatever the realised size. Two answers, C = 1, no noise:
        // items row 0 = [0.6, 0.8] (a clipped), row 2 = [0.3, 0], bias 0.4; divided by 2.5.
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 0.0, 2.5, 10, 1e-5));
        assertThat(dp.settings().samplingRate()).isEqualTo(0.25);
        Strategy.Aggregate agg = round(dp, 1, global(), twoClients());
        assertThat(agg.next().table("items").data()).containsExactly(new float[] {0.24f, 0.32f, 0f, 0f, 0.12f, 0f},
                within(1e-6f));
        assertThat(agg.next().table("bias").data()).containsExactly(new float[] {1.16f}, within(1e-6f));
        assertThat(agg.metrics()).containsEntry(DpFedAvg.CLIP_METRIC, 1.0);
        // The accountant uses q = m / N exactly.
        assertThat(dp.epsilonAfter(2)).isEqualTo(Double.POSITIVE_INFINITY);
        DpFedAvg noised = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 1.3, 2.5, 10, 1e-5));
        assertThat(noised.epsilonAfter(2)).isEqualTo(
                RdpAccountant.create().compose(0.25, 1.3, 2).epsilon(1e-5, Conversion.IMPROVED).epsilon());
    }

    @Test
    void withThePldAccountantEachRoundReportsThePldEpsilonWhichIsBelowRdpAndAffordsMoreRounds() {
        DpFedAvg.Settings settings = DpFedAvg.Settings.of(1.0, 1.1, 50, 5000, 1e-5);
        DpFedAvg rdp = new DpFedAvg(SELECT_ALL, settings);
        DpFedAvg pld = new DpFedAvg(SELECT_ALL, settings.withAccountant(DpFedAvg.Accountant.PLD));
        assertThat(pld.settings().accountant()).isEqualTo(DpFedAvg.Accountant.PLD);
        assertThat(rdp.settings().accountant()).isEqualTo(DpFedAvg.Accountant.RDP);
        for (long rounds : new long[] {1, 10, 200}) {
            double expected = PldAccountant.create().compose(0.01, 1.1, rounds).epsilon(1e-5);
            // Round by round the spectrum's power is extended, not recomputed: equal up to round-off.
            assertThat(pld.epsilonAfter(rounds)).as("round %d", rounds).isCloseTo(expected, within(1e-9 * expected))
                    .isLessThan(rdp.epsilonAfter(rounds));
        }
        assertThat(pld.epsilonAfter(0)).isZero();
        long pldRounds = pld.roundsWithin(1.0);
        assertThat(pldRounds).isGreaterThan(rdp.roundsWithin(1.0));
        assertThat(pld.epsilonAfter(pldRounds)).isLessThanOrEqualTo(1.0);
        assertThat(pld.epsilonAfter(pldRounds + 1)).isGreaterThan(1.0);
        DpFedAvg coarse = new DpFedAvg(SELECT_ALL, settings.withAccountant(DpFedAvg.Accountant.PLD, 1e-3));
        assertThat(coarse.epsilonAfter(200)).isCloseTo(PldAccountant.create(1e-3).compose(0.01, 1.1, 200).epsilon(1e-5),
                within(1e-12)).isGreaterThanOrEqualTo(pld.epsilonAfter(200));
        assertThatThrownBy(() -> settings.withAccountant(DpFedAvg.Accountant.PLD, 0))
                .hasMessageContaining("PLD discretization").hasMessageContaining("0.0");
        assertThat(new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 0.0, 50, 5000, 1e-5)
                .withAccountant(DpFedAvg.Accountant.PLD)).epsilonAfter(3)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void withThePldAccountantAndEveryClientEachRoundTheEpsilonIsTheExactGaussians() {
        // q = 1: 50 rounds of z = 2 are one Gaussian of noise 2/√50; the PLD of it is within 1e-8 above.
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 2.0, 10, 10, 1e-5)
                .withAccountant(DpFedAvg.Accountant.PLD));
        double exact = AnalyticGaussian.epsilon(2 / Math.sqrt(50), 1e-5);
        assertThat(dp.epsilonAfter(50)).isEqualTo(exact);
        assertThat(PldAccountant.create().compose(1, 2, 50).epsilon(1e-5)).isBetween(exact - 1e-9, exact + 1e-8);
    }

    @Test
    void inputsAreNotModifiedWithAdaptiveClippingEither() {
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 2.0, 2, 2, 1e-5)
                .withAdaptiveClipping(new DpFedAvg.AdaptiveClipping(0.5, 0.2, 1.5)));
        ModelState global = global();
        List<FitResult> results = List.of(
                new L2Clipping(1.0).afterFit(new FitInstruction("a", global, RoundConfig.EMPTY), twoClients().get(0),
                        new ClientContext(1, SEED)),
                new L2Clipping(1.0).afterFit(new FitInstruction("b", global, RoundConfig.EMPTY), twoClients().get(1),
                        new ClientContext(1, SEED)));
        round(dp, 1, global, results);
        assertThat(global).isEqualTo(global());
        assertThat(((TableDelta.SparseRows) results.get(0).update().deltas().get("items")).values())
                .containsExactly(0.6f, 0.8f);
        assertThat(((TableDelta.Dense) results.get(1).update().deltas().get("bias")).values()).containsExactly(0.4f);
    }

    @Test
    void inputsAreNotModified() {
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 2.0, 2, 2, 1e-5));
        ModelState global = global();
        List<FitResult> results = twoClients();
        round(dp, 1, global, results);
        assertThat(global).isEqualTo(global());
        assertThat(((TableDelta.SparseRows) results.get(0).update().deltas().get("items")).values())
                .containsExactly(3f, 4f);
        assertThat(((TableDelta.Dense) results.get(1).update().deltas().get("bias")).values()).containsExactly(0.4f);
    }

    @Test
    void noiseCoversEveryCoordinateWithStandardDeviationZcOverM() {
        // 50,000 coordinates; one client touches a single sparse row. z = 1.5, C = 0.8, m = 6: std 0.2.
        ModelState global = new ModelState(Map.of("items", FloatTable.zeros(1000, 50)));
        FitResult one = update("a", 1, Map.of("items", new TableDelta.SparseRows(50, new int[] {7}, new float[50])));
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(0.8, 1.5, 6, 600, 1e-5));

        Strategy.Aggregate agg = round(dp, 3, global, List.of(one));
        float[] w = agg.next().table("items").data();
        double sum = 0;
        double sumSq = 0;
        int zeros = 0;
        for (float x : w) {
            sum += x;
            sumSq += (double) x * x;
            zeros += x == 0 ? 1 : 0;
        }
        double mean = sum / w.length;
        double std = Math.sqrt(sumSq / w.length - mean * mean);
        // Standard errors: of the mean 0.2 / sqrt(50000) ~ 0.0009, of the std 0.2 / sqrt(100000) ~ 0.0006.
        assertThat(mean).isCloseTo(0.0, within(0.005));
        assertThat(std).isCloseTo(0.2, within(0.004));
        assertThat(zeros).as("untouched rows are noised too").isZero();
        assertThat(agg.metrics().get(DpFedAvg.NOISE_STD_METRIC)).isCloseTo(0.2, within(1e-12));

        // Seeded: the same round gives the same noise, another round other noise.
        assertThat(round(dp, 3, global, List.of(one)).next()).isEqualTo(agg.next());
        assertThat(round(dp, 4, global, List.of(one)).next()).isNotEqualTo(agg.next());
    }

    @Test
    void epsilonIsTheAccountantsValueForTheSamplingRateNoiseAndRounds() {
        double q = 50.0 / 5000;
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 1.1, 50, 5000, 1e-5));
        ModelState global = global();
        for (int round = 1; round <= 3; round++) {
            double expected = RdpAccountant.create().compose(q, 1.1, round).epsilon(1e-5, Conversion.IMPROVED).epsilon();
            assertThat(round(dp, round, global, List.of()).metrics().get(DpFedAvg.EPSILON_METRIC))
                    .isCloseTo(expected, within(1e-12 * expected));
            assertThat(dp.epsilonAfter(round)).isCloseTo(expected, within(1e-12 * expected));
        }
        assertThat(dp.epsilonAfter(0)).isZero();
    }

    @Test
    void roundsWithinIsTheLargestRoundCountInsideTheBudget() {
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 1.0, 100, 10_000, 1e-5));
        long rounds = dp.roundsWithin(2.0);
        assertThat(rounds).isPositive();
        assertThat(dp.epsilonAfter(rounds)).isLessThanOrEqualTo(2.0);
        assertThat(dp.epsilonAfter(rounds + 1)).isGreaterThan(2.0);
        assertThat(dp.roundsWithin(dp.epsilonAfter(1) / 2)).isZero();
        assertThatThrownBy(() -> dp.roundsWithin(0)).hasMessageContaining("budget");
    }

    @Test
    void aggregatingARoundThatWasNotConfiguredIsAnError() {
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, DpFedAvg.Settings.of(1.0, 1.0, 2, 2, 1e-5));
        assertThatThrownBy(() -> dp.aggregateFit(1, global(), List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("round 1");
    }

    @Test
    void aDeltaForATableOutsideTheNoisedSetIsRejected() {
        DpFedAvg dp = new DpFedAvg(SELECT_ALL, new DpFedAvg.Settings(1.0, 1.0, 2, 2, 1e-5, 1.0, Set.of("items")));
        assertThatThrownBy(() -> round(dp, 1, global(), twoClients()))
                .hasMessageContaining("client b").hasMessageContaining("'bias'");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> DpFedAvg.Settings.of(1.0, 1.0, 5, 4, 1e-5))
                .hasMessageContaining("m=5").hasMessageContaining("N=4");
        assertThatThrownBy(() -> DpFedAvg.Settings.of(1.0, -1, 1, 4, 1e-5)).hasMessageContaining("z");
        assertThatThrownBy(() -> DpFedAvg.Settings.of(1.0, 1.0, 1, 4, 0)).hasMessageContaining("delta");
    }
}
