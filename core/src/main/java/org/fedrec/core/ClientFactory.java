package org.fedrec.core;

/**
 * Builds the client with a given id when it is needed. Fleets hold factories, not instances, so a
 * population of a million virtual clients costs nothing until a client is sampled. A factory must be safe
 * to call from several threads at once, and private state must outlive the instance (a client built twice
 * sees the state its previous instance left).
 */
@FunctionalInterface
public interface ClientFactory {
    Client create(String clientId);
}
