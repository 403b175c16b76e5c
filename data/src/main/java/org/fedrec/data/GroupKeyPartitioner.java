package org.fedrec.data;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.fedrec.data.internal.UserGroups;

/**
 * Cross-silo by a column: one client per distinct group key among the users with interactions,
 * client id = the key, clients in lexicographic key order. The key of a user might be a region, an
 * organisation, or (see {@link #byDominantCategory()}) the user's favourite category. Deterministic;
 * the seed is not used.
 */
public final class GroupKeyPartitioner implements Partitioner {
  /** The key of users whose training items have no category, in {@link #byDominantCategory()}. */
  public static final String NO_CATEGORY = "(none)";

  private final BiFunction<Interactions, ItemCatalog, String[]> keys;

  private GroupKeyPartitioner(BiFunction<Interactions, ItemCatalog, String[]> keys) {
    this.keys = keys;
  }

  /**
   * Groups by a fixed key per user index.
   *
   * @param keyOfUser one key per user; may be null only for users without interactions
   */
  public static GroupKeyPartitioner of(String[] keyOfUser) {
    String[] copy = keyOfUser.clone();
    return new GroupKeyPartitioner((train, items) -> copy);
  }

  /**
   * Groups users by their most frequent primary item category in train (ties: the smaller category
   * index), keyed by the category's name, or {@link #NO_CATEGORY}.
   */
  public static GroupKeyPartitioner byDominantCategory() {
    return new GroupKeyPartitioner((train, items) -> {
      int[] dominant = UserGroups.dominantCategory(train, items);
      String[] out = new String[dominant.length];
      for (int u = 0; u < out.length; u++) {
        out[u] = dominant[u] < 0 ? NO_CATEGORY : items.categoryNames().get(dominant[u]);
      }
      return out;
    });
  }

  @Override
  public Partition partition(Interactions train, ItemCatalog items, long seed) {
    String[] keyOfUser = keys.apply(train, items);
    if (keyOfUser.length != train.numUsers()) {
      throw new IllegalArgumentException("expected a group key for each of " + train.numUsers() + " users, found " + keyOfUser.length);
    }
    int[] active = UserGroups.activeUsers(train);
    TreeMap<String, Integer> clientOfKey = new TreeMap<>();
    for (int u : active) {
      if (keyOfUser[u] == null) {
        throw new IllegalArgumentException("user " + u + " has interactions but its group key is null");
      }
      clientOfKey.put(keyOfUser[u], 0);
    }
    List<String> ids = new ArrayList<>(clientOfKey.keySet());
    for (int k = 0; k < ids.size(); k++) {
      clientOfKey.put(ids.get(k), k);
    }
    int[] clientOfUser = new int[train.numUsers()];
    for (int u : active) {
      clientOfUser[u] = clientOfKey.get(keyOfUser[u]);
    }
    return Partition.fromAssignment(train, ids.toArray(new String[0]), clientOfUser);
  }
}
