package org.fedrec.privacy.secagg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.Clock;
import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;
import org.fedrec.core.strategy.Aggregation;
import org.fedrec.core.strategy.ForwardingStrategy;
import org.fedrec.core.strategy.FedAvg;

/**
 * A FedAvg-family strategy whose aggregation goes through secure aggregation: each round the clients'
 * updates are encoded with an example-weighted {@link UpdateLayout} over every table of the global model,
 * summed by a full protocol round among those clients ({@link InMemorySecAgg}, this JVM), and the decoded
 * weighted mean is applied with the decorated strategy's server step. Selection, fit settings and
 * evaluation are the decorated strategy's.
 *
 * <p>This is a simulation of what secure aggregation does to training (fixed-point rounding, example
 * weights capped at {@code exampleCap}, whole tables sent by every client) and what it costs (reported
 * per round as metrics); the updates themselves still reach this object in the clear through the fleet.
 * A networked runner will drive the same sessions with the clients on the far side. Client randomness is
 * seeded from the round's {@link RandomSource}, so a seeded run is reproducible. Rounds with fewer than
 * two results keep the model (secure aggregation of one input would reveal it).
 *
 * <p>Never modifies its inputs. Not thread-safe: one round loop drives it, configureFit before
 * aggregateFit for each round.
 */
public final class SecureFedAvg extends ForwardingStrategy {

    /** Metric key: bytes a contributing client sent, mean over contributors. */
    public static final String CLIENT_BYTES_UP_METRIC = "secagg_client_bytes_up";
    /** Metric key: bytes a contributing client received, mean over contributors. */
    public static final String CLIENT_BYTES_DOWN_METRIC = "secagg_client_bytes_down";
    /** Metric key: clients whose input the secure aggregate holds. */
    public static final String CONTRIBUTORS_METRIC = "secagg_contributors";

    /**
     * What the protocol rounds use.
     *
     * @param values            fixed-point codec of the (weighted) delta values
     * @param exampleCap        examples at which a client's weight stops growing
     * @param degree            SecAgg+ neighbour degree k (even), or 0 for the complete graph
     * @param thresholdFraction t as a fraction of a client's group (itself and its neighbours), in (0, 1]
     */
    public record Settings(FixedPoint values, long exampleCap, int degree, double thresholdFraction) {
        public Settings {
            Objects.requireNonNull(values, "values");
            if (degree < 0) {
                throw new IllegalArgumentException("neighbour degree must be >= 0 (0 = complete graph), was " + degree);
            }
            if (!(thresholdFraction > 0 && thresholdFraction <= 1)) {
                throw new IllegalArgumentException("threshold fraction must be in (0, 1], was " + thresholdFraction);
            }
        }
    }

    private final FedAvg selection;
    private final Settings settings;
    private int configuredRound = -1;
    private RandomSource roundRandom;

    public SecureFedAvg(FedAvg selection, Settings settings) {
        super(selection);
        this.selection = selection;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        configuredRound = round;
        roundRandom = random.split("secure-aggregation");
        return selection.configureFit(round, global, available, random);
    }

    @Override
    public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures) {
        if (round != configuredRound) {
            throw new IllegalStateException("secure FedAvg aggregates round " + round + " but was last configured for "
                    + "round " + configuredRound + "; configureFit draws the round's randomness");
        }
        Map<String, Double> metrics = Aggregation.fitMetrics(results, failures);
        if (results.size() < 2) {
            metrics.put(CONTRIBUTORS_METRIC, 0.0);
            return new Aggregate(global, metrics);
        }
        UpdateLayout.Builder builder = UpdateLayout.builder(settings.values());
        for (Map.Entry<String, FloatTable> t : global.tables().entrySet()) {
            builder.wholeTable(t.getKey(), t.getValue());
        }
        UpdateLayout layout = builder.weightedByExamples(settings.exampleCap()).build();
        layout.requireCapacity(results.size());
        List<String> ids = results.stream().map(FitResult::clientId).toList();
        int n = ids.size();
        RoundSetup setup = RoundSetup.forCohort(round, ids, layout.length(), settings.values().bits(),
                settings.degree(), settings.thresholdFraction(), roundRandom.split("graph").seed());
        Map<String, FitResult> byId = new HashMap<>();
        results.forEach(r -> byId.put(r.clientId(), r));

        InMemorySecAgg.Outcome out = new InMemorySecAgg(Clock.system(), true, null).run(setup, Map.of(),
                id -> InMemorySecAgg.seededRandom(roundRandom.split("client", round, id).seed()),
                id -> layout.encode(byId.get(id)));

        long up = 0;
        long down = 0;
        for (InMemorySecAgg.Cost c : out.clients().values()) {
            up += c.bytesSent();
            down += c.bytesReceived();
        }
        metrics.put(CONTRIBUTORS_METRIC, (double) out.result().contributors().size());
        metrics.put(CLIENT_BYTES_UP_METRIC, (double) up / n);
        metrics.put(CLIENT_BYTES_DOWN_METRIC, (double) down / n);
        return new Aggregate(selection.applyServerStep(global, layout.weightedMean(out.result().sum())), metrics);
    }

    @Override
    public String toString() {
        return "SecureFedAvg[" + settings + ", around " + selection.getClass().getSimpleName() + "]";
    }
}
