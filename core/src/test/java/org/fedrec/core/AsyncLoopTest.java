package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.devices.DeviceProfiles;
import org.fedrec.core.devices.SimulatedClock;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

class AsyncLoopTest {

    /** Client i has target 10 (i + 1); it moves the one global weight to it. */
    static ClientFactory targets() {
        return id -> new Client() {
            final int i = Integer.parseInt(id.substring(1));

            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                float theta = ins.global().table("w").data()[0];
                return new FitResult(id, 1, new ModelUpdate(Map.of("w",
                        new TableDelta.Dense(new float[] {10 * (i + 1) - theta}))), Map.of("loss", (double) i));
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of("w", (double) ins.global().table("w").data()[0]));
            }
        };
    }

    private static AsyncLoop.Builder loop(Fleet fleet, FedAvg strategy, DeviceProfiles devices,
                                          java.util.function.ToLongFunction<String> examples, AsyncLoop.Settings s) {
        return AsyncLoop.builder().strategy(strategy).serverStep(strategy::applyServerStep).fleet(fleet)
                .devices(devices).clock(new SimulatedClock()).examplesOf(examples).random(RandomSource.seeded(5))
                .settings(s);
    }

    @Test
    void twoClientsOneResultPerVersionFollowTheHandComputedSchedule() {
        // Uniform devices, 1 example/s, 4 bytes/s: c0 takes 1 + 1 + 1 = 3 s, c1 1 + 2 + 1 = 4 s.
        //   t=3 c0 (from v0, staleness 0): w = 0 + (10 - 0) = 10; v1; c0 restarts from w=10
        //   t=4 c1 (from v0, staleness 1): w = 10 + (20 - 0) / sqrt 2; v2; c1 restarts
        //   t=6 c0 (from v1, staleness 1): delta 0; v3; c0 restarts
        //   t=8 c1 (from v2, staleness 1): w = w2 + (20 - w2) / sqrt 2; v4
        FedAvg strategy = new FedAvg(FedAvg.Settings.defaults());
        DeviceProfiles devices = new DeviceProfiles(DeviceProfiles.Settings.uniform(1, 4, 4), RandomSource.seeded(1));
        try (InMemoryFleet fleet = new InMemoryFleet(targets(), RoundLoopTest.ids(2), RandomSource.seeded(1), 2)) {
            RunResult r = loop(fleet, strategy, devices, id -> id.equals("c0") ? 1 : 2,
                    new AsyncLoop.Settings(2, 1, 0.5, 60)).versions(4).evaluateEvery(2).build()
                    .run(RoundLoopTest.zero());
            double w2 = 10 + 20 / Math.sqrt(2);
            double w4 = w2 + (20 - w2) / Math.sqrt(2);
            assertThat(r.last().table("w").data()[0]).isCloseTo((float) w4, within(1e-4f));
            assertThat(r.history()).extracting(RoundRecord::round).containsExactly(2, 4);
            RoundRecord first = r.history().get(0);
            assertThat(first.fitMetrics()).containsEntry("sim_time", 4.0).containsEntry("fit_clients", 2.0)
                    .containsEntry("staleness_mean", 0.5).containsEntry("staleness_max", 1.0);
            assertThat(first.evaluateMetrics().get("w")).isCloseTo(w2, within(1e-4));
            assertThat(r.history().get(1).fitMetrics()).containsEntry("sim_time", 8.0)
                    .containsEntry("staleness_mean", 1.0);
        }
    }

    /** Clients whose updates depend on their random stream and on private state they keep between tasks. */
    static ClientFactory noisyStateful(float[] privateState) {
        return id -> new Client() {
            final int i = Integer.parseInt(id.substring(1));

            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                SplittableRandom rng = ctx.random().generator();
                privateState[i] = 0.5f * privateState[i] + (float) rng.nextGaussian();
                float[] w = ins.global().table("w").data();
                float[] delta = new float[w.length];
                for (int k = 0; k < w.length; k++) {
                    delta[k] = (i % 5) + privateState[i] - w[k] + 0.1f * (float) rng.nextGaussian();
                }
                return new FitResult(id, 1 + i % 3, new ModelUpdate(Map.of("w", new TableDelta.Dense(delta))),
                        Map.of("loss", (double) privateState[i]));
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of("state", (double) privateState[i]));
            }
        };
    }

    private static RunResult heterogeneousRun(int threads) {
        float[] state = new float[40];
        FedAvg strategy = new FedAvg(FedAvg.Settings.defaults().withServerLearningRate(0.5));
        DeviceProfiles devices = new DeviceProfiles(new DeviceProfiles.Settings(5, 1.0, 100, 400, 0.7, 600, 0.6, 0.2),
                RandomSource.seeded(9));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("c" + i);
        }
        ModelState initial = new ModelState(Map.of("w", FloatTable.zeros(1, 3)));
        try (InMemoryFleet fleet = new InMemoryFleet(noisyStateful(state), ids, RandomSource.seeded(3), threads)) {
            return loop(fleet, strategy, devices, id -> 10 + Integer.parseInt(id.substring(1)),
                    new AsyncLoop.Settings(8, 3, 0.5, 30)).versions(60).evaluateEvery(10).build().run(initial);
        }
    }

    @Test
    void aRunIsTheSameForASeedWhateverTheThreadCount() {
        RunResult one = heterogeneousRun(1);
        RunResult four = heterogeneousRun(4);
        assertThat(four.last()).isEqualTo(one.last());
        assertThat(one.history()).hasSize(6);
        for (int k = 0; k < one.history().size(); k++) {
            assertThat(four.history().get(k).fitMetrics()).isEqualTo(one.history().get(k).fitMetrics());
            assertThat(four.history().get(k).evaluateMetrics()).isEqualTo(one.history().get(k).evaluateMetrics());
        }
        Map<String, Double> last = one.history().get(5).fitMetrics();
        assertThat(last.get("fit_failures")).isPositive(); // dropouts and devices going offline happened
        assertThat(last.get("staleness_max")).isPositive();
        assertThat(last.get("sim_time")).isGreaterThan(one.history().get(4).fitMetrics().get("sim_time"));
    }

    @Test
    void earlyStoppingEndsTheRunAndKeepsTheBestVersion() {
        // The evaluated value climbs towards 20 and then stays: with patience 1 the run stops at the first
        // evaluation that does not improve by more than 100.
        FedAvg strategy = new FedAvg(FedAvg.Settings.defaults());
        DeviceProfiles devices = new DeviceProfiles(DeviceProfiles.Settings.uniform(1, 4, 4), RandomSource.seeded(1));
        try (InMemoryFleet fleet = new InMemoryFleet(targets(), RoundLoopTest.ids(2), RandomSource.seeded(1), 2)) {
            RunResult r = loop(fleet, strategy, devices, id -> 1, new AsyncLoop.Settings(1, 1, 0.5, 60))
                    .versions(50).evaluateEvery(2).stopping(new StoppingRule("w", true, 1, 100)).build()
                    .run(RoundLoopTest.zero());
            assertThat(r.ending()).isEqualTo(RunResult.Ending.EARLY_STOPPED);
            assertThat(r.history()).hasSize(2);
            assertThat(r.bestRecord().round()).isEqualTo(2);
        }
    }
}
