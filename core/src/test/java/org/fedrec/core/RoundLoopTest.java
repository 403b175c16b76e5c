package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.ForwardingStrategy;
import org.junit.jupiter.api.Test;

/**
 * The round loop with a toy problem: each client holds a target value and "trains" by moving the single
 * global parameter to it, so FedAvg's result is the example-weighted mean of the targets.
 */
class RoundLoopTest {

    /** Client i has target i and weight i + 1; it fails in the rounds listed. */
    static ClientFactory toyClients(List<Integer> failInRounds, Map<String, Double> evalValue) {
        return id -> new Client() {
            final int i = Integer.parseInt(id.substring(1));

            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                if (failInRounds.contains(ctx.round()) && i == 0) {
                    throw new IllegalStateException("battery low");
                }
                float theta = ins.global().table("w").data()[0];
                return new FitResult(id, i + 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {i - theta}))),
                        Map.of("loss", (double) i));
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                double v = evalValue.getOrDefault("r" + ctx.round(), 0.0);
                return new EvaluateResult(id, 1, Map.of("score", v));
            }
        };
    }

    static ModelState zero() {
        return new ModelState(Map.of("w", new FloatTable(1, 1, new float[] {0f})));
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("c" + i);
        }
        return ids;
    }

    @Test
    void fedAvgOverThreeClientsReachesTheWeightedMeanAndFailuresReachTheStrategy() {
        AtomicReference<List<ClientFailure>> seen = new AtomicReference<>();
        Strategy strategy = new ForwardingStrategy(new FedAvg(FedAvg.Settings.defaults())) {
            @Override
            public Aggregate aggregateFit(int round, ModelState g, List<FitResult> r, List<ClientFailure> f) {
                if (round == 2) {
                    seen.set(f);
                }
                return super.aggregateFit(round, g, r, f);
            }
        };
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(2), Map.of()), ids(3), RandomSource.seeded(1), 2)) {
            RunResult res = RoundLoop.builder().strategy(strategy).fleet(fleet).rounds(2).evaluateEvery(0).build()
                    .run(zero());
            // Round 1: (1*0 + 2*1 + 3*2) / 6 = 4/3. Round 2 without c0: (2*1 + 3*2) / 5 = 1.6
            assertThat(res.last().table("w").data()[0]).isEqualTo(1.6f);
            assertThat(seen.get()).singleElement().satisfies(f -> {
                assertThat(f.clientId()).isEqualTo("c0");
                assertThat(f.message()).contains("battery low");
            });
            assertThat(res.history()).hasSize(2);
            assertThat(res.history().get(1).fitMetrics()).containsEntry("fit_failures", 1.0);
        }
    }

    @Test
    void earlyStoppingKeepsTheBestEvaluatedModel() {
        Map<String, Double> scores = Map.of("r1", 0.5, "r2", 0.9, "r3", 0.7, "r4", 0.6, "r5", 0.95);
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), scores), ids(2), RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(5).evaluateEvery(1).stopping(new StoppingRule("score", true, 2, 0)).build().run(zero());
            assertThat(res.ending()).isEqualTo(RunResult.Ending.EARLY_STOPPED);
            assertThat(res.roundsRun()).isEqualTo(4);
            assertThat(res.bestRecord().round()).isEqualTo(2);
            assertThat(res.bestRecord().evaluateMetrics()).containsEntry("score", 0.9);
        }
    }

    @Test
    void anEvaluationInWhichAClientFailedIsNeverTheBest() {
        // Round 3 scores best, but only because c0's evaluation failed (as a model diverged to NaN fails
        // most clients and leaves the mean to the few left): it counts as a round without improvement.
        Map<String, Double> scores = Map.of("r1", 0.5, "r2", 0.6, "r3", 0.99, "r4", 0.55, "r5", 0.5);
        ClientFactory toy = toyClients(List.of(), scores);
        ClientFactory failingInRound3 = id -> {
            Client inner = toy.create(id);
            return new Client() {
                @Override
                public FitResult fit(FitInstruction ins, ClientContext ctx) {
                    return inner.fit(ins, ctx);
                }

                @Override
                public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                    if (ctx.round() == 3 && id.equals("c0")) {
                        throw new IllegalStateException("scorer returned NaN");
                    }
                    return inner.evaluate(ins, ctx);
                }
            };
        };
        try (InMemoryFleet fleet = new InMemoryFleet(failingInRound3, ids(2), RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(5).evaluateEvery(1).stopping(new StoppingRule("score", true, 2, 0)).build().run(zero());
            assertThat(res.history().get(2).evaluateMetrics()).containsEntry("score", 0.99)
                    .containsEntry("evaluate_failures", 1.0);
            assertThat(res.bestRecord().round()).isEqualTo(2);
            assertThat(res.ending()).isEqualTo(RunResult.Ending.EARLY_STOPPED);
            assertThat(res.roundsRun()).isEqualTo(4);
        }
    }

    @Test
    void requestStopEndsAfterTheCurrentRound() {
        List<RoundLoop> holder = new ArrayList<>();
        RunListener stopper = new RunListener() {
            @Override
            public void onRoundEnd(RoundRecord record, ModelState global) {
                if (record.round() == 2) {
                    holder.get(0).requestStop();
                }
            }
        };
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), Map.of()), ids(2), RandomSource.seeded(1), 1)) {
            RoundLoop loop = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(10).listener(stopper).build();
            holder.add(loop);
            RunResult res = loop.run(zero());
            assertThat(res.ending()).isEqualTo(RunResult.Ending.INTERRUPTED);
            assertThat(res.roundsRun()).isEqualTo(2);
        }
    }

    @Test
    void aBudgetEndsTheRunAfterTheLastRoundItAllowsAndEvaluatesThatRound() {
        List<Integer> asked = new ArrayList<>();
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), Map.of("r3", 0.4)), ids(2),
                RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(10).evaluateEvery(0).budget(r -> {
                        asked.add(r);
                        return r <= 3;
                    }).build().run(zero());
            assertThat(res.ending()).isEqualTo(RunResult.Ending.BUDGET_EXHAUSTED);
            assertThat(res.roundsRun()).isEqualTo(3);
            // evaluateEvery(0) evaluates only the last round: here the last one the budget allowed.
            assertThat(res.history().get(2).evaluateMetrics()).containsEntry("score", 0.4);
            assertThat(res.history().get(1).evaluated()).isFalse();
            assertThat(asked).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void aBudgetThatAllowsNoRoundRunsNone() {
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), Map.of()), ids(2), RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(5).budget(r -> false).build().run(zero());
            assertThat(res.ending()).isEqualTo(RunResult.Ending.BUDGET_EXHAUSTED);
            assertThat(res.roundsRun()).isZero();
            assertThat(res.last()).isEqualTo(zero());
        }
    }

    @Test
    void aBudgetCoveringThePlannedRoundsChangesNothing() {
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), Map.of()), ids(2), RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet)
                    .rounds(4).budget(r -> r <= 4).build().run(zero());
            assertThat(res.ending()).isEqualTo(RunResult.Ending.COMPLETED);
            assertThat(res.roundsRun()).isEqualTo(4);
        }
    }

    @Test
    void theSameSeedGivesTheSameRunWithAnyThreadCount() {
        ClientFactory noisy = id -> new Client() {
            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                float d = (float) ctx.random().generator().nextGaussian();
                return new FitResult(id, 1 + id.length(), new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {d}))),
                        Map.of());
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of());
            }
        };
        float[] finals = new float[2];
        int[] threads = {1, 4};
        for (int t = 0; t < 2; t++) {
            try (InMemoryFleet fleet = new InMemoryFleet(noisy, ids(40), RandomSource.seeded(9), threads[t])) {
                finals[t] = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults()
                                .withFitSampler(ClientSampler.count(7)))).fleet(fleet).random(RandomSource.seeded(9))
                        .rounds(5).build().run(zero()).last().table("w").data()[0];
            }
        }
        assertThat(finals[1]).isEqualTo(finals[0]);
    }

    @Test
    void everyRoundRecordsTheBytesSentToItsTrainingClients() {
        // The global model has 1 float: 4 bytes per instruction, 3 clients.
        try (InMemoryFleet fleet = new InMemoryFleet(toyClients(List.of(), Map.of()), ids(3), RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(new FedAvg(FedAvg.Settings.defaults())).fleet(fleet).rounds(2)
                    .evaluateEvery(0).build().run(zero());
            assertThat(res.history().get(0).fitMetrics()).containsEntry(RoundLoop.DOWNLINK_BYTES, 12.0)
                    .containsEntry(RoundLoop.CLIENT_DOWNLINK_BYTES, 4.0)
                    .containsEntry("uplink_bytes", 12.0).containsEntry("client_uplink_bytes", 4.0);
        }
    }
}
