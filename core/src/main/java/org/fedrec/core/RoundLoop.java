package org.fedrec.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The federated round loop, outside every algorithm: each round the strategy picks clients, the fleet
 * runs them, the strategy aggregates; on the evaluation schedule (every {@code evaluateEvery} rounds and
 * always in the last) the same happens for evaluation. A strategy that offers an accumulator
 * ({@link Strategy#streamingFit}) has each result folded in as the fleet hands it over; otherwise it gets
 * the lists. Client failures reach the strategy as values; a fleet's own metrics ({@link Responses#metrics()},
 * e.g. simulated time) join the round's training metrics.
 *
 * <p>{@link #requestStop()} (from a signal handler, say) ends the run after the current round, so the
 * records written so far stay consistent. A {@linkplain Builder#budget budget} (a privacy budget, say)
 * ends the run the same way, before the first round it does not allow.
 */
public final class RoundLoop {

    /**
     * Round metric: bytes the server sent the round's training clients, {@link FitInstruction#wireBytes()}
     * summed over the instructions (added unless the strategy reports it).
     */
    public static final String DOWNLINK_BYTES = "downlink_bytes";
    /** Round metric: {@value #DOWNLINK_BYTES} divided by the round's training instructions. */
    public static final String CLIENT_DOWNLINK_BYTES = "client_downlink_bytes";

    private final Strategy strategy;
    private final Fleet fleet;
    private final RandomSource random;
    private final Clock clock;
    private final int rounds;
    private final int evaluateEvery;
    private final StoppingRule stopping;
    private final List<RunListener> listeners;
    private final IntPredicate withinBudget;
    private volatile boolean stopRequested;

    private RoundLoop(Builder b) {
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.fleet = Objects.requireNonNull(b.fleet, "fleet");
        this.random = Objects.requireNonNull(b.random, "random");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        if (b.rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, found " + b.rounds);
        }
        if (b.evaluateEvery < 0) {
            throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = only the last round), found "
                    + b.evaluateEvery);
        }
        this.rounds = b.rounds;
        this.evaluateEvery = b.evaluateEvery;
        this.stopping = b.stopping;
        this.listeners = List.copyOf(b.listeners);
        this.withinBudget = b.withinBudget;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Asks the loop to finish after the round under way. Safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    public RunResult run(ModelState initial) {
        long start = clock.nanoTime();
        listeners.forEach(l -> l.onRunStart(rounds, initial));
        ModelState global = initial;
        EarlyStopping selection = new EarlyStopping(stopping, initial);
        List<RoundRecord> history = new ArrayList<>();
        RunResult.Ending ending = RunResult.Ending.COMPLETED;
        for (int round = 1; round <= rounds; round++) {
            if (stopRequested) {
                ending = RunResult.Ending.INTERRUPTED;
                break;
            }
            if (round == 1 && !affordable(1)) {
                ending = RunResult.Ending.BUDGET_EXHAUSTED;
                break;
            }
            // The last round the budget allows is evaluated like the planned last round.
            boolean lastAffordable = round < rounds && !affordable(round + 1);
            long t0 = clock.nanoTime();
            List<FitInstruction> fitIns = strategy.configureFit(round, global, fleet.availableClients(),
                    random.split("sample-fit", round));
            Optional<FitAccumulator> streaming = strategy.streamingFit(round, global);
            Strategy.Aggregate agg;
            Map<String, Double> fleetMetrics;
            if (streaming.isPresent()) {
                fleetMetrics = fleet.fit(round, fitIns, streaming.get());
                agg = streaming.get().finish();
            } else {
                Responses<FitResult> fitRes = fleet.fit(round, fitIns);
                agg = strategy.aggregateFit(round, global, fitRes.results(), fitRes.failures());
                fleetMetrics = fitRes.metrics();
            }
            global = agg.next();
            long t1 = clock.nanoTime();
            Map<String, Double> evalMetrics = Map.of();
            int evalFailures = 0;
            if (lastAffordable || isEvaluationRound(round)) {
                List<EvaluateInstruction> evalIns = strategy.configureEvaluate(round, global,
                        fleet.population(), random.split("sample-evaluate", round));
                Responses<EvaluateResult> evalRes = fleet.evaluate(round, evalIns);
                evalMetrics = strategy.aggregateEvaluate(round, evalRes.results(), evalRes.failures());
                evalFailures = evalRes.failures().size();
            }
            Map<String, Double> fitMetrics = withDownlink(agg.metrics(), fitIns);
            if (!fleetMetrics.isEmpty()) {
                fitMetrics = new LinkedHashMap<>(fitMetrics);
                fitMetrics.putAll(fleetMetrics);
            }
            RoundRecord record = new RoundRecord(round, fitMetrics, evalMetrics, t1 - t0, clock.nanoTime() - t1);
            history.add(record);
            for (RunListener l : listeners) {
                l.onRoundEnd(record, global);
            }
            if (selection.offer(record, global, evalMetrics, evalFailures) && round < rounds) {
                ending = RunResult.Ending.EARLY_STOPPED;
                break;
            }
            if (lastAffordable) {
                ending = RunResult.Ending.BUDGET_EXHAUSTED;
                break;
            }
        }
        RunResult result = new RunResult(global, selection.best(), selection.bestRecord(), history, ending,
                clock.nanoTime() - start);
        listeners.forEach(l -> l.onRunEnd(result));
        return result;
    }

    /**
     * The strategy's metrics with {@value #DOWNLINK_BYTES} and {@value #CLIENT_DOWNLINK_BYTES} added, unless
     * the strategy reported them itself (one that sends less than the whole model knows better).
     */
    private static Map<String, Double> withDownlink(Map<String, Double> metrics, List<FitInstruction> instructions) {
        if (metrics.containsKey(DOWNLINK_BYTES)) {
            return metrics;
        }
        long bytes = 0;
        for (FitInstruction ins : instructions) {
            bytes += ins.wireBytes();
        }
        Map<String, Double> out = new LinkedHashMap<>(metrics);
        out.put(DOWNLINK_BYTES, (double) bytes);
        out.put(CLIENT_DOWNLINK_BYTES, instructions.isEmpty() ? 0.0 : (double) bytes / instructions.size());
        return out;
    }

    private boolean affordable(int round) {
        return withinBudget == null || withinBudget.test(round);
    }

    private boolean isEvaluationRound(int round) {
        return round == rounds || (evaluateEvery > 0 && round % evaluateEvery == 0);
    }

    /** Builds a {@link RoundLoop}; strategy, fleet and rounds are required. */
    public static final class Builder {
        private Strategy strategy;
        private Fleet fleet;
        private RandomSource random = RandomSource.seeded(0);
        private Clock clock = Clock.system();
        private int rounds;
        private int evaluateEvery = 1;
        private StoppingRule stopping;
        private final List<RunListener> listeners = new ArrayList<>();
        private IntPredicate withinBudget;

        public Builder strategy(Strategy s) {
            this.strategy = s;
            return this;
        }

        public Builder fleet(Fleet f) {
            this.fleet = f;
            return this;
        }

        public Builder random(RandomSource r) {
            this.random = r;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder rounds(int n) {
            this.rounds = n;
            return this;
        }

        /** Evaluate every n rounds (and always in the last); 0 evaluates only the last round. */
        public Builder evaluateEvery(int n) {
            this.evaluateEvery = n;
            return this;
        }

        public Builder stopping(StoppingRule rule) {
            this.stopping = rule;
            return this;
        }

        /**
         * Runs round r only if {@code withinBudget.test(r)} (e.g. "the ε spent after r rounds is within the
         * budget"); the predicate must be monotone (once a round is refused, so are all later ones). Before
         * round r runs the loop asks about round r + 1: if that is refused, round r is the last, it is
         * evaluated as the planned last round would be, and the run ends with
         * {@link RunResult.Ending#BUDGET_EXHAUSTED}. A refused round 1 ends the run before any round.
         */
        public Builder budget(IntPredicate withinBudget) {
            this.withinBudget = Objects.requireNonNull(withinBudget, "withinBudget");
            return this;
        }

        public Builder listener(RunListener l) {
            this.listeners.add(Objects.requireNonNull(l));
            return this;
        }

        public RoundLoop build() {
            return new RoundLoop(this);
        }
    }
}
