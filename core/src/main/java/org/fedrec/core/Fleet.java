package org.fedrec.core;

import java.util.List;
import java.util.Map;

/**
 * Where clients live: in this JVM, behind a network, or in cluster executors. The round loop talks only
 * to this interface. A fleet never throws for a client's fault: the client appears in
 * {@link Responses#failures()} instead.
 */
public interface Fleet extends AutoCloseable {

    /** Ids of the clients that can currently be sampled, in a stable order. */
    List<String> availableClients();

    /**
     * Every client, available or not, in a stable order: whom evaluation measures (a simulation's measurement
     * of the model, not at the mercy of device availability). By default the available clients.
     */
    default List<String> population() {
        return availableClients();
    }

    Responses<FitResult> fit(int round, List<FitInstruction> instructions);

    /**
     * Trains the clients and feeds each result (in instruction order) and failure to {@code into}, without
     * calling {@link FitAccumulator#finish()}; returns the fleet's own metrics, as {@link Responses#metrics()}.
     * By default this collects {@link #fit(int, List)} and feeds the lists; a fleet that can hand results
     * over as they complete overrides it, so that a round never holds every update.
     */
    default Map<String, Double> fit(int round, List<FitInstruction> instructions, FitAccumulator into) {
        Responses<FitResult> responses = fit(round, instructions);
        responses.results().forEach(into::add);
        responses.failures().forEach(into::addFailure);
        return responses.metrics();
    }

    Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions);

    @Override
    default void close() {
    }
}
