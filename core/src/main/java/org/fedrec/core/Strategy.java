package org.fedrec.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The federated algorithm, as a few hooks the {@link RoundLoop} calls each round (after Flower's
 * Strategy). A strategy chooses clients and their settings and turns their results into the next global
 * model; the current global model is always passed in. It never opens a socket and never sees a client's
 * private state.
 */
public interface Strategy {

    /** Clients to train this round, and what to tell them. */
    List<FitInstruction> configureFit(int round, ModelState global, List<String> available, RandomSource random);

    /**
     * The next global model from the clients' results. Failed clients are listed in {@code failures}; a
     * strategy decides whether the round still counts.
     */
    Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures);

    /**
     * An accumulator that folds this round's results one at a time into what {@link #aggregateFit} would
     * return for them, or empty (the default) if the strategy needs the whole list. The {@link RoundLoop}
     * prefers it, so a round holds running sums instead of every update. Decorators inherit the empty
     * default and so keep the list path unless they fold themselves.
     */
    default Optional<FitAccumulator> streamingFit(int round, ModelState global) {
        return Optional.empty();
    }

    /** Clients to evaluate this round, and what to tell them. */
    List<EvaluateInstruction> configureEvaluate(int round, ModelState global, List<String> available,
                                                RandomSource random);

    /** Combined evaluation metrics (by default the example-weighted mean of each client metric). */
    Map<String, Double> aggregateEvaluate(int round, List<EvaluateResult> results, List<ClientFailure> failures);

    /** A next global model with the round's training metrics, in the order the strategy put them. */
    record Aggregate(ModelState next, Map<String, Double> metrics) {
        public Aggregate {
            metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        }
    }
}
