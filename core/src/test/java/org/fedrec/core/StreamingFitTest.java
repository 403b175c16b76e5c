package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.fedrec.core.strategy.FedAdam;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.FedOpt;
import org.fedrec.core.strategy.ForwardingStrategy;
import org.junit.jupiter.api.Test;

/**
 * Streaming aggregation end to end: the in-memory fleet hands results over in instruction order with a
 * bounded number in flight, and a seeded run gives the same models and metrics streamed or not.
 */
class StreamingFitTest {

    static final int ROWS = 40;
    static final int COLS = 3;

    /**
     * Client i sends a few rows of "item" and all of "bias" derived from its round's random source and the
     * global model, trains on i % 5 examples (so some on none), sleeps a random while (so that threads finish
     * out of order) and fails in odd rounds if i % 7 == 3.
     */
    static ClientFactory noisyClients(AtomicInteger started) {
        return id -> new Client() {
            final int i = Integer.parseInt(id.substring(1));

            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                started.incrementAndGet();
                java.util.SplittableRandom r = ctx.random().generator();
                LockSupport.parkNanos(r.nextInt(300_000));
                if (ctx.round() % 2 == 1 && i % 7 == 3) {
                    throw new IllegalStateException("no network");
                }
                float[] global = ins.global().table("item").data();
                int[] rows = r.ints(0, ROWS).limit(1 + r.nextInt(6)).distinct().sorted().toArray();
                float[] v = new float[rows.length * COLS];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) r.nextGaussian() - 0.1f * global[rows[j / COLS] * COLS + j % COLS];
                }
                float[] bias = new float[ROWS];
                for (int j = 0; j < ROWS; j++) {
                    bias[j] = (float) r.nextGaussian() * 1e-3f;
                }
                return new FitResult(id, i % 5, new ModelUpdate(Map.of("item", new TableDelta.SparseRows(COLS, rows, v),
                        "bias", new TableDelta.Dense(bias))), Map.of("loss", r.nextDouble()));
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of());
            }
        };
    }

    /** Halves every update: stands for clipping or compression, which must still apply when streaming. */
    static final ClientInterceptor HALVE = (ins, result, ctx) -> {
        Map<String, TableDelta> halved = new java.util.LinkedHashMap<>();
        result.update().deltas().forEach((name, d) -> {
            if (d instanceof TableDelta.SparseRows s) {
                float[] v = s.values().clone();
                for (int j = 0; j < v.length; j++) {
                    v[j] *= 0.5f;
                }
                halved.put(name, new TableDelta.SparseRows(s.cols(), s.rows(), v));
            } else {
                float[] v = ((TableDelta.Dense) d).values().clone();
                for (int j = 0; j < v.length; j++) {
                    v[j] *= 0.5f;
                }
                halved.put(name, new TableDelta.Dense(v));
            }
        });
        return new FitResult(result.clientId(), result.numExamples(), new ModelUpdate(halved), result.metrics());
    };

    static ModelState initial() {
        return new ModelState(Map.of("item", FloatTable.zeros(ROWS, COLS), "bias", FloatTable.zeros(ROWS, 1)));
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("c" + i);
        }
        return ids;
    }

    static FedAdam fedAdam() {
        return new FedAdam(FedAvg.Settings.defaults().withServerLearningRate(0.1), new FedOpt.Hyper(0.9, 0.99, 1e-3));
    }

    /** Records what reached the accumulator, in order, and how many clients had started by then. */
    static class Recording implements FitAccumulator {
        final List<String> order = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<Integer> startedAtFold = new ArrayList<>();
        final AtomicInteger started;

        Recording(AtomicInteger started) {
            this.started = started;
        }

        @Override
        public void add(FitResult result) {
            order.add(result.clientId());
            startedAtFold.add(started.get());
        }

        @Override
        public void addFailure(ClientFailure failure) {
            failed.add(failure.clientId());
        }

        @Override
        public Strategy.Aggregate finish() {
            throw new AssertionError("the fleet must not finish the accumulator");
        }
    }

    @Test
    void theInMemoryFleetFoldsInInstructionOrderWithABoundedWindow() {
        AtomicInteger started = new AtomicInteger();
        int n = 600;
        // Client c0 is slow: without a window, every other client would start before it is handed over.
        ClientFactory noisy = noisyClients(started);
        ClientFactory slowFirst = id -> id.equals("c0") ? new Client() {
            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                LockSupport.parkNanos(200_000_000L);
                return noisy.create(id).fit(ins, ctx);
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return noisy.create(id).evaluate(ins, ctx);
            }
        } : noisy.create(id);
        try (InMemoryFleet fleet = new InMemoryFleet(slowFirst, ids(n), RandomSource.seeded(3), 3)) {
            List<FitInstruction> ins = new ArrayList<>();
            for (String id : ids(n)) {
                ins.add(new FitInstruction(id, initial(), RoundConfig.EMPTY));
            }
            Responses<FitResult> listed = fleet.fit(1, ins);
            Recording streamed = new Recording(started);
            started.set(0);
            fleet.fit(1, ins, streamed);

            assertThat(streamed.order).containsExactlyElementsOf(listed.results().stream().map(FitResult::clientId).toList());
            assertThat(streamed.failed).containsExactlyElementsOf(listed.failures().stream().map(ClientFailure::clientId)
                    .toList()).isNotEmpty();
            int window = fleet.threads() * InMemoryFleet.WINDOW_PER_THREAD;
            for (int k = 0; k < streamed.order.size(); k++) {
                int position = Integer.parseInt(streamed.order.get(k).substring(1));
                // Handing over client p, the fleet has started at most p + 1 + window clients.
                assertThat(streamed.startedAtFold.get(k)).as("clients started when folding %s", streamed.order.get(k))
                        .isLessThanOrEqualTo(position + 1 + window);
            }
        }
    }

    @Test
    void anAccumulatorThatThrowsStopsTheRoundWithItsException() {
        AtomicInteger started = new AtomicInteger();
        try (InMemoryFleet fleet = new InMemoryFleet(noisyClients(started), ids(200), RandomSource.seeded(3), 2)) {
            List<FitInstruction> ins = ids(200).stream().map(id -> new FitInstruction(id, initial(), RoundConfig.EMPTY))
                    .toList();
            FitAccumulator refusing = new Recording(started) {
                @Override
                public void add(FitResult result) {
                    throw new IllegalArgumentException("client " + result.clientId() + " sent a bad table");
                }
            };
            assertThatThrownBy(() -> fleet.fit(2, ins, refusing)).hasMessage("client c0 sent a bad table");
            assertThat(started.get()).isLessThan(200);
        }
    }

    /** Hides the strategy's accumulator, so the loop takes the list path. */
    static Strategy listOnly(Strategy s) {
        return new ForwardingStrategy(s) {
        };
    }

    /** A fleet with only the list methods: the default streaming method collects and feeds. */
    record ListFleet(Fleet delegate) implements Fleet {
        @Override
        public List<String> availableClients() {
            return delegate.availableClients();
        }

        @Override
        public Responses<FitResult> fit(int round, List<FitInstruction> instructions) {
            return delegate.fit(round, instructions);
        }

        @Override
        public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
            return delegate.evaluate(round, instructions);
        }
    }

    RunResult run(boolean streaming, boolean listFleet, List<ClientInterceptor> interceptors) {
        ClientFactory clients = ClientFactory.intercepted(noisyClients(new AtomicInteger()), interceptors);
        try (InMemoryFleet inMemory = new InMemoryFleet(clients, ids(120), RandomSource.seeded(11), 3)) {
            Fleet fleet = listFleet ? new ListFleet(inMemory) : inMemory;
            Strategy strategy = streaming ? fedAdam() : listOnly(fedAdam());
            return RoundLoop.builder().strategy(strategy).fleet(fleet).random(RandomSource.seeded(11)).rounds(4)
                    .evaluateEvery(0).build().run(initial());
        }
    }

    @Test
    void aSeededRunIsTheSameStreamedOrNot() {
        RunResult listed = run(false, false, List.of(HALVE));
        RunResult streamed = run(true, false, List.of(HALVE));
        RunResult defaultStreamed = run(true, true, List.of(HALVE));
        assertThat(listed.history().get(0).fitMetrics()).containsEntry("fit_failures", 17.0);
        for (RunResult other : List.of(streamed, defaultStreamed)) {
            assertThat(other.last()).isEqualTo(listed.last());
            assertThat(other.history()).hasSameSizeAs(listed.history());
            for (int r = 0; r < listed.history().size(); r++) {
                assertThat(other.history().get(r).fitMetrics()).containsExactlyEntriesOf(
                        listed.history().get(r).fitMetrics());
            }
        }
        // The interceptor applied when streaming: the run is not the one without it.
        assertThat(run(true, false, List.of()).last()).isNotEqualTo(streamed.last());
    }
}
