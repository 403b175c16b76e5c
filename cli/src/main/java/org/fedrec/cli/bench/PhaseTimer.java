package org.fedrec.cli.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fedrec.cli.CliException;
import org.fedrec.cli.simulate.Simulation;
import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitAccumulator;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.Fleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Responses;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.Strategy;
import org.fedrec.models.RecommenderClient;
import org.fedrec.models.TrainSettings;

/**
 * Times training rounds of a {@link Simulation} on simulate's own code path: {@link RoundLoop} driving the
 * configured strategy over the fleet its {@code engine} key names (in memory by default, or Spark). The fleet
 * and the strategy are wrapped to time {@link Fleet#fit} and {@link Strategy#aggregateFit} of every round
 * (for a strategy that {@linkplain Strategy#streamingFit streams}, folding is timed with the fit and the
 * aggregation is the accumulator's finish), and evaluation is off (the strategy asks no client to evaluate). The first {@code warmup} rounds are run and discarded.
 */
final class PhaseTimer {

    /** The round metric in which FedAvg-family strategies report the floats clients sent. */
    static final String UPLINK_FLOATS = "uplink_floats";

    private PhaseTimer() {
    }

    /**
     * Times of the measured rounds, in nanoseconds.
     *
     * @param strategy        the strategy's class name, e.g. FedAvg
     * @param training        the local training settings the strategy sent the clients
     * @param clients         clients trained per round
     * @param triplesPerRound (positive, negative) training triples per round: steps (pair visits over all local epochs) x negatives
     * @param uplinkFloats    floats the clients sent in a round, as the strategy reports them (-1 if it does not)
     */
    record Timings(String strategy, TrainSettings training, int clients, long triplesPerRound, long uplinkFloats,
                   long[] fitNanos, long[] aggregateNanos) {

        long[] roundNanos() {
            long[] r = new long[fitNanos.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = fitNanos[i] + aggregateNanos[i];
            }
            return r;
        }

        static double medianMillis(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
            return median / 1e6;
        }

        static double minMillis(long[] nanos) {
            return Arrays.stream(nanos).min().orElseThrow() / 1e6;
        }

        /** Training triples per second of the median local-training (fit) time. */
        double triplesPerSecond() {
            return triplesPerRound / (medianMillis(fitNanos) / 1e3);
        }
    }

    static Timings run(Simulation sim, int warmup, int repeat) {
        return run(sim, sim.strategy(), warmup, repeat);
    }

    /** As {@link #run(Simulation, int, int)}, with {@code configured} instead of the simulation's strategy. */
    static Timings run(Simulation sim, Strategy configured, int warmup, int repeat) {
        int rounds = warmup + repeat;
        long[] fit = new long[rounds];
        long[] aggregate = new long[rounds];
        long[] examples = new long[rounds];
        long[] uplink = new long[rounds];
        int[] clients = new int[rounds];
        TimedStrategy strategy = new TimedStrategy(configured, aggregate, examples, uplink, clients,
                new RoundConfig[1]);
        try (Fleet engine = sim.fleet()) {
            Fleet fleet = new TimedFleet(engine, fit);
            RoundLoop.builder().strategy(strategy).fleet(fleet).random(sim.random()).rounds(rounds).evaluateEvery(0)
                    .build().run(sim.model().initialGlobal(sim.random()));
        }
        // What the clients were told, so that the count follows the settings actually used.
        TrainSettings training = TrainSettings.from(strategy.fitConfig()[0], TrainSettings.defaults());
        long triples = examples[rounds - 1] * training.negatives();
        return new Timings(configured.getClass().getSimpleName(), training, clients[rounds - 1], triples,
                uplink[rounds - 1], Arrays.copyOfRange(fit, warmup, rounds), Arrays.copyOfRange(aggregate, warmup, rounds));
    }

    /** Times each round's fit; evaluation passes through (the strategy sends none). */
    private record TimedFleet(Fleet delegate, long[] fitNanos) implements Fleet {

        @Override
        public List<String> availableClients() {
            return delegate.availableClients();
        }

        @Override
        public Responses<FitResult> fit(int round, List<FitInstruction> instructions) {
            long t0 = System.nanoTime();
            Responses<FitResult> r = delegate.fit(round, instructions);
            fitNanos[round - 1] = System.nanoTime() - t0;
            return r;
        }

        @Override
        public Map<String, Double> fit(int round, List<FitInstruction> instructions, FitAccumulator into) {
            long t0 = System.nanoTime();
            Map<String, Double> metrics = delegate.fit(round, instructions, into);
            fitNanos[round - 1] = System.nanoTime() - t0;
            return metrics;
        }

        @Override
        public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
            return delegate.evaluate(round, instructions);
        }
    }

    /**
     * Times each round's aggregation, counts its clients and examples and keeps the training settings sent;
     * asks no client to evaluate. A failed client invalidates the measurement, so it is an error here.
     */
    private record TimedStrategy(Strategy delegate, long[] aggregateNanos, long[] examples, long[] uplink,
                                 int[] clients, RoundConfig[] fitConfig) implements Strategy {

        @Override
        public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                                 RandomSource random) {
            List<FitInstruction> instructions = delegate.configureFit(round, global, available, random);
            if (instructions.isEmpty()) {
                throw new CliException("the strategy chose no client in round " + round + "; nothing to time");
            }
            fitConfig[0] = instructions.get(0).config();
            return instructions;
        }

        @Override
        public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results,
                                      List<ClientFailure> failures) {
            if (!failures.isEmpty()) {
                throw voided(failures.size(), failures.get(0));
            }
            long t0 = System.nanoTime();
            Aggregate next = delegate.aggregateFit(round, global, results, failures);
            aggregateNanos[round - 1] = System.nanoTime() - t0;
            results.forEach(r -> count(round, r));
            return measured(round, next);
        }

        /**
         * The delegate's accumulator, counting each result as it is folded; folding happens during the fleet's
         * fit (and is timed with it), so the aggregation time is only that of {@link FitAccumulator#finish()}.
         */
        @Override
        public Optional<FitAccumulator> streamingFit(int round, ModelState global) {
            return delegate.streamingFit(round, global).map(fold -> new FitAccumulator() {
                @Override
                public void add(FitResult result) {
                    fold.add(result);
                    count(round, result);
                }

                @Override
                public void addFailure(ClientFailure failure) {
                    throw voided(1, failure);
                }

                @Override
                public Aggregate finish() {
                    long t0 = System.nanoTime();
                    Aggregate next = fold.finish();
                    aggregateNanos[round - 1] = System.nanoTime() - t0;
                    return measured(round, next);
                }
            });
        }

        private static CliException voided(int failed, ClientFailure first) {
            return new CliException(failed + " client(s) failed, so the timing is void; first: " + first);
        }

        private void count(int round, FitResult r) {
            examples[round - 1] += r.metrics().getOrDefault(RecommenderClient.STEPS, (double) r.numExamples())
                    .longValue();
            clients[round - 1]++;
        }

        private Aggregate measured(int round, Aggregate next) {
            uplink[round - 1] = next.metrics().getOrDefault(UPLINK_FLOATS, -1.0).longValue();
            return next;
        }

        @Override
        public List<EvaluateInstruction> configureEvaluate(int round, ModelState global, List<String> available,
                                                           RandomSource random) {
            return List.of();
        }

        @Override
        public Map<String, Double> aggregateEvaluate(int round, List<EvaluateResult> results,
                                                     List<ClientFailure> failures) {
            return Map.of();
        }
    }
}
