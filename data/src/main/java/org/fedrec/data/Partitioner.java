package org.fedrec.data;

/**
 * Distributes training interactions over federated clients. Every partitioner in this package
 * assigns <b>whole users</b>: a user's interactions never span clients, so the user's private state
 * (embedding) lives in exactly one client. No interaction is lost or duplicated, and every client
 * holds at least one interaction (see {@link Partition}). The same inputs and seed give the same
 * partition.
 */
@FunctionalInterface
public interface Partitioner {
  /**
   * @param train the interactions to distribute
   * @param items the catalog (categories), for partitioners that group by category
   * @param seed for partitioners that draw at random
   */
  Partition partition(Interactions train, ItemCatalog items, long seed);
}
