package org.fedrec.data.internal;

import org.fedrec.data.Interactions;
import org.fedrec.data.ItemCatalog;

/** Helpers shared by the partitioners and splits. */
public final class UserGroups {
  private UserGroups() {}

  /** Users with at least one interaction, ascending. */
  public static int[] activeUsers(Interactions train) {
    return indicesOfPositive(train.countsPerUser());
  }

  /** The indices whose count is positive, ascending (users or items with an interaction). */
  public static int[] indicesOfPositive(int[] counts) {
    int n = 0;
    for (int c : counts) {
      if (c > 0) {
        n++;
      }
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * Each user's most frequent primary item category in {@code train} (ties: the smaller category
   * index), or -1 when none of the user's items has a category.
   */
  public static int[] dominantCategory(Interactions train, ItemCatalog items) {
    if (items.size() != train.numItems()) {
      throw new IllegalArgumentException("the catalog has " + items.size() + " items but the interactions " + train.numItems());
    }
    int numCategories = items.numCategories();
    int[] out = new int[train.numUsers()];
    int[] counts = new int[numCategories];
    org.fedrec.data.UserIndex index = train.byUser();
    for (int u = 0; u < out.length; u++) {
      int best = -1;
      for (int p = index.start(u); p < index.end(u); p++) {
        int c = items.categoryOf(index.itemAt(p));
        if (c >= 0) {
          counts[c]++;
          if (best < 0 || counts[c] > counts[best] || (counts[c] == counts[best] && c < best)) {
            best = c;
          }
        }
      }
      for (int p = index.start(u); p < index.end(u); p++) {
        int c = items.categoryOf(index.itemAt(p));
        if (c >= 0) {
          counts[c] = 0;
        }
      }
      out[u] = best;
    }
    return out;
  }

  /** {@code "silo-0" .. "silo-(k-1)"}. */
  public static String[] siloIds(int k) {
    String[] ids = new String[k];
    for (int i = 0; i < k; i++) {
      ids[i] = "silo-" + i;
    }
    return ids;
  }

  /** Returns {@code numSilos} if positive. */
  public static int checkSilos(int numSilos) {
    if (numSilos < 1) {
      throw new IllegalArgumentException("numSilos must be >= 1, got " + numSilos);
    }
    return numSilos;
  }

  /** {@link #activeUsers(Interactions)}, requiring at least {@code numSilos} of them. */
  public static int[] activeUsers(Interactions train, int numSilos) {
    int[] active = activeUsers(train);
    if (active.length < numSilos) {
      throw new IllegalArgumentException("cannot split " + active.length + " users with interactions into " + numSilos
          + " silos: every silo needs at least one user");
    }
    return active;
  }

  /**
   * Splits {@code total} into counts proportional to {@code weights} by largest remainder (ties: the
   * smaller index), after giving each part {@code minEach}.
   */
  public static int[] allocate(int total, double[] weights, int minEach) {
    int k = weights.length;
    int[] counts = new int[k];
    int rest = total - minEach * k;
    if (rest < 0) {
      throw new IllegalArgumentException("cannot give " + minEach + " to each of " + k + " parts of " + total);
    }
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double[] remainder = new double[k];
    int given = 0;
    for (int i = 0; i < k; i++) {
      double exact = sum > 0 ? rest * weights[i] / sum : (double) rest / k;
      counts[i] = minEach + (int) Math.floor(exact);
      remainder[i] = exact - Math.floor(exact);
      given += counts[i] - minEach;
    }
    while (given < rest) {
      int best = 0;
      for (int i = 1; i < k; i++) {
        if (remainder[i] > remainder[best]) {
          best = i;
        }
      }
      counts[best]++;
      remainder[best] = -1;
      given++;
    }
    return counts;
  }

  /**
   * Assigns {@code users[from..]} in order: the first {@code counts[0]} to silo 0, the next
   * {@code counts[1]} to silo 1, and so on.
   */
  public static void deal(int[] users, int from, int[] counts, int[] siloOfUser) {
    int pos = from;
    for (int k = 0; k < counts.length; k++) {
      for (int j = 0; j < counts[k]; j++) {
        siloOfUser[users[pos++]] = k;
      }
    }
  }

  /**
   * Makes every silo non-empty: while a silo has no user, moves the highest-index user of the silo
   * with the most users (ties: the smaller silo index) into it.
   */
  public static void fillEmptySilos(int[] siloOfUser, int[] activeUsers, int numSilos) {
    int[] sizes = new int[numSilos];
    for (int u : activeUsers) {
      sizes[siloOfUser[u]]++;
    }
    for (int empty = 0; empty < numSilos; empty++) {
      if (sizes[empty] > 0) {
        continue;
      }
      int largest = 0;
      for (int s = 1; s < numSilos; s++) {
        if (sizes[s] > sizes[largest]) {
          largest = s;
        }
      }
      for (int k = activeUsers.length - 1; k >= 0; k--) {
        if (siloOfUser[activeUsers[k]] == largest) {
          siloOfUser[activeUsers[k]] = empty;
          break;
        }
      }
      sizes[largest]--;
      sizes[empty]++;
    }
  }
}
