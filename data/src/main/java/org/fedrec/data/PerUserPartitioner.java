package org.fedrec.data;

import org.fedrec.data.internal.UserGroups;

/**
 * Cross-device: one client per user with at least one interaction, with id {@code "u" + user}
 * (the dense user index). Deterministic; the seed is not used.
 */
public final class PerUserPartitioner implements Partitioner {
  @Override
  public Partition partition(Interactions train, ItemCatalog items, long seed) {
    int[] active = UserGroups.activeUsers(train);
    String[] ids = new String[active.length];
    int[] clientOfUser = new int[train.numUsers()];
    java.util.Arrays.fill(clientOfUser, -1);
    for (int k = 0; k < active.length; k++) {
      ids[k] = "u" + active[k];
      clientOfUser[active[k]] = k;
    }
    return Partition.fromAssignment(train, ids, clientOfUser);
  }
}
