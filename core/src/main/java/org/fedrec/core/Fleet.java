package org.fedrec.core;

import java.util.List;

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

    Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions);

    @Override
    default void close() {
    }
}
