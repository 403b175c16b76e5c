package org.fedrec.engine.spark;

import java.io.Serializable;
import java.util.List;

import org.fedrec.core.ClientFactory;
import org.fedrec.models.PrivateStates;

/**
 * A recipe for a population of recommender clients that the Spark engine ships to its executors: small
 * and serializable (a config, a path, a seed), it is broadcast once and {@linkplain #build() built} once
 * per JVM, driver or executor. Building must be deterministic: every JVM must get the same clients with
 * the same data, since any of them may run any client.
 *
 * <p>The clients' private parameters (user embeddings) are not part of what is built: the engine keeps
 * each executor partition's users' state between rounds and hands the clients a {@link PrivateStates}
 * restored from it, so the state never travels to the driver.
 */
public interface SparkPopulation extends Serializable {

    /** Builds the clients in this JVM; called once per JVM and fleet. */
    Clients build();

    /** A built population: its clients' ids and data, and how to make clients over given private state. */
    interface Clients {

        /** Every client id, in a stable order (the fleet's {@code availableClients()}). */
        List<String> clientIds();

        /** Global indices of the users whose private parameters {@code clientId} holds. */
        int[] usersOf(String clientId);

        /** An empty store of private parameters for every user, initialised lazily from the run's seed. */
        PrivateStates newPrivateStates();

        /** Clients that read and write their users' private parameters in {@code states}. */
        ClientFactory factory(PrivateStates states);
    }
}
