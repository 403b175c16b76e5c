package org.fedrec.data;

import org.fedrec.core.SplitMix64;
import org.fedrec.data.internal.UserGroups;

/**
 * Cross-silo, IID: the users with interactions are shuffled with the seed and dealt round-robin to
 * {@code numSilos} silos ({@code "silo-0"} ...), so silo user counts differ by at most one and each
 * silo is a uniform random sample of users. Needs at least {@code numSilos} users with interactions.
 */
public final class IidSiloPartitioner implements Partitioner {
  private final int numSilos;

  /** @param numSilos the number of silos, at least 1 */
  public IidSiloPartitioner(int numSilos) {
    this.numSilos = UserGroups.checkSilos(numSilos);
  }

  @Override
  public Partition partition(Interactions train, ItemCatalog items, long seed) {
    int[] active = UserGroups.activeUsers(train, numSilos);
    int[] order = active.clone();
    new SplitMix64(seed).shuffle(order, 0, order.length);
    int[] siloOfUser = new int[train.numUsers()];
    for (int k = 0; k < order.length; k++) {
      siloOfUser[order[k]] = k % numSilos;
    }
    return Partition.fromAssignment(train, UserGroups.siloIds(numSilos), siloOfUser);
  }
}
