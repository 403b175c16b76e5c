package org.fedrec.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class ServerOptimizerTest {

    static final FedOpt.Hyper HYPER = new FedOpt.Hyper(0.9, 0.99, 0.1);

    @Test
    void fedAdamFirstStepMatchesTheHandComputedUpdate() {
        // Delta = 0.5, m = 0.1*0.5 = 0.05, v = 0.99*tau^2 + 0.01*0.25 = 0.0099 + 0.0025 = 0.0124
        // theta = 1 + 0.1 * 0.05 / (sqrt(0.0124) + 0.1)
        float[] theta = {1f};
        float[] m = {0f};
        float[] v = {0.01f};
        FedOpt.step(FedOpt.Rule.ADAM, HYPER, 0.1, theta, m, v, 0, new float[] {0.5f}, 0, 1);
        assertThat((double) m[0]).isCloseTo(0.05, within(1e-7));
        assertThat((double) v[0]).isCloseTo(0.0124, within(1e-7));
        assertThat((double) theta[0]).isCloseTo(1 + 0.1 * 0.05 / (Math.sqrt(0.0124) + 0.1), within(1e-6));
    }

    @Test
    void fedYogiAndFedAdagradSecondMoments() {
        float[] v = {0.01f};
        FedOpt.step(FedOpt.Rule.YOGI, HYPER, 0.1, new float[] {0f}, new float[] {0f}, v, 0, new float[] {0.5f}, 0, 1);
        // v - (1 - 0.99) * 0.25 * sign(0.01 - 0.25) = 0.01 + 0.0025
        assertThat((double) v[0]).isCloseTo(0.0125, within(1e-7));
        float[] va = {0.01f};
        FedOpt.step(FedOpt.Rule.ADAGRAD, HYPER, 0.1, new float[] {0f}, new float[] {0f}, va, 0, new float[] {0.5f}, 0, 1);
        assertThat((double) va[0]).isCloseTo(0.26, within(1e-7));
    }

    @Test
    void momentumAccumulatesOverRounds() {
        float[] theta = {0f};
        float[] vel = {0f};
        FedAvgM.momentumStep(theta, vel, 0, new float[] {1f}, 0, 1, 1.0, 0.5);
        FedAvgM.momentumStep(theta, vel, 0, new float[] {1f}, 0, 1, 1.0, 0.5);
        // v1 = 1, theta = 1; v2 = 0.5 + 1 = 1.5, theta = 2.5
        assertThat(vel[0]).isEqualTo(1.5f);
        assertThat(theta[0]).isEqualTo(2.5f);
    }

    @Test
    void fedAdamStrategyUpdatesOnlyTouchedRowsAndKeepsStateAcrossRounds() {
        ModelState global = new ModelState(Map.of("t", new FloatTable(2, 1, new float[] {1f, 7f})));
        FedAdam adam = new FedAdam(FedAvg.Settings.defaults().withServerLearningRate(0.1), HYPER);
        FitResult r = new FitResult("a", 4,
                new ModelUpdate(Map.of("t", new TableDelta.SparseRows(1, new int[] {0}, new float[] {0.5f}))), Map.of());
        Strategy.Aggregate first = adam.aggregateFit(1, global, List.of(r), List.of());
        float expected1 = (float) (1 + 0.1 * 0.05 / (Math.sqrt(0.0124) + 0.1));
        assertThat((double) first.next().table("t").data()[0]).isCloseTo(expected1, within(1e-6));
        assertThat(first.next().table("t").data()[1]).isEqualTo(7f);
        // Second round with the same delta: m = 0.9*0.05 + 0.05 = 0.095, v = 0.99*0.0124 + 0.0025
        Strategy.Aggregate second = adam.aggregateFit(2, first.next(), List.of(r), List.of());
        double v2 = 0.99 * 0.0124 + 0.0025;
        double expected2 = first.next().table("t").data()[0] + 0.1 * 0.095 / (Math.sqrt(v2) + 0.1);
        assertThat((double) second.next().table("t").data()[0]).isCloseTo(expected2, within(1e-6));
    }

    @Test
    void fedProxTellsClientsMuAndAggregatesLikeFedAvg() {
        FedProx prox = new FedProx(FedAvg.Settings.defaults().withFitConfig(RoundConfig.EMPTY.with("lr", 0.1)), 0.01);
        ModelState global = new ModelState(Map.of("t", new FloatTable(1, 1, new float[] {0f})));
        var ins = prox.configureFit(3, global, List.of("a", "b"), org.fedrec.core.RandomSource.seeded(1));
        assertThat(ins).hasSize(2);
        assertThat(ins.get(0).config().getDouble(FedProx.PROXIMAL_MU, -1)).isEqualTo(0.01);
        assertThat(ins.get(0).config().getDouble("lr", -1)).isEqualTo(0.1);
        assertThat(ins.get(0).config().getInt("round", -1)).isEqualTo(3);
    }

    @Test
    void aRoundWithOnlyFailuresKeepsTheModel() {
        ModelState global = new ModelState(Map.of("t", new FloatTable(1, 1, new float[] {3f})));
        FedAvg avg = new FedAvg(FedAvg.Settings.defaults());
        Strategy.Aggregate a = avg.aggregateFit(1, global, List.of(),
                List.of(new org.fedrec.core.ClientFailure("x", 1, org.fedrec.core.ClientFailure.Phase.FIT, "boom")));
        assertThat(a.next()).isSameAs(global);
        assertThat(a.metrics()).containsEntry("fit_failures", 1.0);
    }
}
