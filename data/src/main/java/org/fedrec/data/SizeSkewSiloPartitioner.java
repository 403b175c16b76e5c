package org.fedrec.data;

import org.fedrec.core.SplitMix64;
import org.fedrec.data.internal.UserGroups;

/**
 * Cross-silo with skewed silo sizes: silo {@code k} (0-based) gets a share of the users proportional
 * to {@code (k + 1)^-skew} (a power law; {@code skew = 0} gives equal sizes, {@code skew = 1} a Zipf
 * law), with at least one user each, rounded by largest remainder. Users are shuffled with the seed
 * before they are dealt, so which users land in the large silos is random. Needs at least
 * {@code numSilos} users with interactions.
 */
public final class SizeSkewSiloPartitioner implements Partitioner {
  private final int numSilos;
  private final double skew;

  /**
   * @param numSilos the number of silos, at least 1
   * @param skew the power-law exponent, finite and non-negative
   */
  public SizeSkewSiloPartitioner(int numSilos, double skew) {
    if (!(skew >= 0) || Double.isInfinite(skew)) {
      throw new IllegalArgumentException("skew must be finite and >= 0, got " + skew);
    }
    this.numSilos = UserGroups.checkSilos(numSilos);
    this.skew = skew;
  }

  @Override
  public Partition partition(Interactions train, ItemCatalog items, long seed) {
    int[] active = UserGroups.activeUsers(train, numSilos);
    double[] weights = new double[numSilos];
    for (int k = 0; k < numSilos; k++) {
      weights[k] = Math.pow(k + 1, -skew);
    }
    int[] counts = UserGroups.allocate(active.length, weights, 1);
    int[] order = active.clone();
    new SplitMix64(seed).shuffle(order, 0, order.length);
    int[] siloOfUser = new int[train.numUsers()];
    UserGroups.deal(order, 0, counts, siloOfUser);
    return Partition.fromAssignment(train, UserGroups.siloIds(numSilos), siloOfUser);
  }
}
