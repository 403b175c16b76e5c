package org.fedrec.data;

import org.fedrec.core.SplitMix64;
import org.fedrec.data.internal.IntSort;
import org.fedrec.data.internal.UserGroups;

/**
 * Cross-silo with label skew over item categories, after Hsu, Qi and Brown, "Measuring the Effects
 * of Non-Identical Data Distribution for Federated Visual Classification" (2019, arXiv:1909.06335),
 * with whole users in place of examples.
 *
 * <p>Each user is labelled with their dominant category: the most frequent primary category
 * ({@link ItemCatalog#categoryOf}) among their training items, ties to the smaller index; users
 * whose items have no category form one more group. For each group, in category order, proportions
 * {@code q ~ Dirichlet(alpha, ..., alpha)} over the {@code numSilos} silos are drawn, the group's
 * users are shuffled, and silo {@code k} receives {@code round(q_k * groupSize)} of them (largest
 * remainder). Small {@code alpha} (e.g. 0.1) makes each silo dominated by a few categories; large
 * {@code alpha} (e.g. 100) approaches an IID split.
 *
 * <p>Empty silos: when the draw leaves a silo without users, the highest-index user of the silo
 * with the most users moves there, until every silo holds a user. Needs at least {@code numSilos}
 * users with interactions.
 */
public final class DirichletSiloPartitioner implements Partitioner {
  private final int numSilos;
  private final double alpha;

  /**
   * @param numSilos the number of silos, at least 1
   * @param alpha the Dirichlet concentration, finite and positive
   */
  public DirichletSiloPartitioner(int numSilos, double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
    }
    this.numSilos = UserGroups.checkSilos(numSilos);
    this.alpha = alpha;
  }

  @Override
  public Partition partition(Interactions train, ItemCatalog items, long seed) {
    int[] active = UserGroups.activeUsers(train, numSilos);
    int[] dominant = UserGroups.dominantCategory(train, items);
    // group the active users by dominant category (-1 first), users ascending within a group
    int[] byGroup = active.clone();
    IntSort.sort(byGroup, 0, byGroup.length, (a, b) -> a == b ? 0
        : dominant[a] != dominant[b] ? Integer.compare(dominant[a], dominant[b]) : Integer.compare(a, b));
    SplitMix64 rng = new SplitMix64(seed);
    int[] siloOfUser = new int[train.numUsers()];
    for (int start = 0; start < byGroup.length; ) {
      int end = start;
      while (end < byGroup.length && dominant[byGroup[end]] == dominant[byGroup[start]]) {
        end++;
      }
      double[] q = rng.nextDirichlet(numSilos, alpha);
      int[] counts = UserGroups.allocate(end - start, q, 0);
      rng.shuffle(byGroup, start, end);
      UserGroups.deal(byGroup, start, counts, siloOfUser);
      start = end;
    }
    UserGroups.fillEmptySilos(siloOfUser, active, numSilos);
    return Partition.fromAssignment(train, UserGroups.siloIds(numSilos), siloOfUser);
  }

  @Override
  public String toString() {
    return "DirichletSiloPartitioner[numSilos=" + numSilos + ", alpha=" + alpha + "]";
  }
}
