package org.fedrec.data;

import java.util.Arrays;

/**
 * The interactions of an {@link Interactions} grouped by user, in compressed sparse row form. For
 * each user the interaction indices are ordered by timestamp, then item index, then interaction
 * index, ascending: the last one is the user's latest. Obtain with {@link Interactions#byUser()}.
 *
 * <p>Allocation-free iteration for hot loops:
 *
 * <pre>{@code
 * for (int p = index.start(u); p < index.end(u); p++) { int item = index.itemAt(p); ... }
 * }</pre>
 */
public final class UserIndex {
  private final int[] offsets;
  private final int[] interactions;
  private final int[] items;

  UserIndex(int[] offsets, int[] interactions, int[] items) {
    this.offsets = offsets;
    this.interactions = interactions;
    this.items = items;
  }

  public int numUsers() {
    return offsets.length - 1;
  }

  /** The number of interactions of {@code user}. */
  public int count(int user) {
    return offsets[user + 1] - offsets[user];
  }

  /** The user's interaction indices, oldest first (a copy). */
  public int[] interactionsOf(int user) {
    return Arrays.copyOfRange(interactions, offsets[user], offsets[user + 1]);
  }

  /** The user's items, oldest first (a copy); repeats only if the interactions hold duplicates. */
  public int[] itemsOf(int user) {
    return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
  }

  /** The first position of {@code user}'s run. */
  public int start(int user) {
    return offsets[user];
  }

  /** One past the last position of {@code user}'s run. */
  public int end(int user) {
    return offsets[user + 1];
  }

  /** The interaction index at a position in {@code [start(u), end(u))}. */
  public int interactionAt(int position) {
    return interactions[position];
  }

  /** The item at a position in {@code [start(u), end(u))}. */
  public int itemAt(int position) {
    return items[position];
  }
}
