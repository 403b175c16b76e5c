package org.fedrec.data;

import java.util.Arrays;
import java.util.Objects;
import org.fedrec.data.internal.IntSort;

/**
 * An immutable, columnar table of user-item interactions. Users and items are dense 0-based indices
 * ({@code 0 <= user < numUsers()}, {@code 0 <= item < numItems()}); an {@link IdMapping} of the
 * {@link Dataset} relates them to the source's ids.
 *
 * <p>Each interaction {@code i} ({@code 0 <= i < size()}) has a user, an item, a value (rating or click
 * label; {@link Float#NaN} when the source has no values) and a timestamp (0 when the source has
 * none). The columns are primitive arrays, copied on the way in and out, so an instance can be shared
 * freely between threads and clients. The per-interaction accessors ({@link #user(int)} ...) are the
 * cheap way to read; the {@code ...Array()} methods return copies.
 */
public final class Interactions {
  private final int numUsers;
  private final int numItems;
  private final int[] users;
  private final int[] items;
  private final float[] values; // null when absent
  private final long[] timestamps; // null when absent
  private volatile UserIndex byUser;

  private Interactions(int numUsers, int numItems, int[] users, int[] items, float[] values, long[] timestamps) {
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.users = users;
    this.items = items;
    this.values = values;
    this.timestamps = timestamps;
  }

  /**
   * Creates interactions from columns, which are copied.
   *
   * @param values ratings or labels, or null when the source has none; must not contain NaN
   * @param timestamps or null when the source has none
   * @throws IllegalArgumentException if the lengths differ, an id is out of range or a value is NaN
   */
  public static Interactions of(int numUsers, int numItems, int[] users, int[] items, float[] values, long[] timestamps) {
    validate(numUsers, numItems, users, items, values, timestamps);
    return new Interactions(numUsers, numItems, users.clone(), items.clone(), values == null ? null : values.clone(),
        timestamps == null ? null : timestamps.clone());
  }

  private static void validate(int numUsers, int numItems, int[] users, int[] items, float[] values, long[] timestamps) {
    if (numUsers < 0 || numItems < 0) {
      throw new IllegalArgumentException("numUsers and numItems must be >= 0, got " + numUsers + " and " + numItems);
    }
    int n = users.length;
    if (items.length != n || (values != null && values.length != n) || (timestamps != null && timestamps.length != n)) {
      throw new IllegalArgumentException("columns must have equal lengths, got users " + n + ", items " + items.length
          + (values == null ? "" : ", values " + values.length) + (timestamps == null ? "" : ", timestamps " + timestamps.length));
    }
    for (int i = 0; i < n; i++) {
      if (users[i] < 0 || users[i] >= numUsers) {
        throw new IllegalArgumentException("interaction " + i + ": expected a user in [0, " + numUsers + "), found " + users[i]);
      }
      if (items[i] < 0 || items[i] >= numItems) {
        throw new IllegalArgumentException("interaction " + i + ": expected an item in [0, " + numItems + "), found " + items[i]);
      }
      if (values != null && Float.isNaN(values[i])) {
        throw new IllegalArgumentException("interaction " + i + ": value is NaN (pass null values when the source has none)");
      }
    }
  }

  /** No interactions over the given user and item counts. */
  public static Interactions empty(int numUsers, int numItems) {
    return of(numUsers, numItems, new int[0], new int[0], null, null);
  }

  /** A builder that appends interactions one by one; see {@link Builder}. */
  public static Builder builder(int numUsers, int numItems) {
    return new Builder(numUsers, numItems);
  }

  public int numUsers() {
    return numUsers;
  }

  public int numItems() {
    return numItems;
  }

  /** The number of interactions. */
  public int size() {
    return users.length;
  }

  public int user(int i) {
    return users[i];
  }

  public int item(int i) {
    return items[i];
  }

  /** The rating or label of interaction {@code i}, or {@link Float#NaN} if {@link #hasValues()} is false. */
  public float value(int i) {
    if (values == null) {
      Objects.checkIndex(i, users.length);
      return Float.NaN;
    }
    return values[i];
  }

  /** The timestamp of interaction {@code i}, or 0 if {@link #hasTimestamps()} is false. */
  public long timestamp(int i) {
    if (timestamps == null) {
      Objects.checkIndex(i, users.length);
      return 0L;
    }
    return timestamps[i];
  }

  public boolean hasValues() {
    return values != null;
  }

  public boolean hasTimestamps() {
    return timestamps != null;
  }

  /** A copy of the user column. */
  public int[] usersArray() {
    return users.clone();
  }

  /** A copy of the item column. */
  public int[] itemsArray() {
    return items.clone();
  }

  /** A copy of the value column; all NaN when {@link #hasValues()} is false. */
  public float[] valuesArray() {
    if (values == null) {
      float[] nan = new float[users.length];
      Arrays.fill(nan, Float.NaN);
      return nan;
    }
    return values.clone();
  }

  /** A copy of the timestamp column; all 0 when {@link #hasTimestamps()} is false. */
  public long[] timestampsArray() {
    return timestamps == null ? new long[users.length] : timestamps.clone();
  }

  /** The number of interactions of each user, indexed by user. */
  public int[] countsPerUser() {
    int[] c = new int[numUsers];
    for (int u : users) {
      c[u]++;
    }
    return c;
  }

  /** The number of interactions of each item (its popularity), indexed by item. */
  public int[] countsPerItem() {
    int[] c = new int[numItems];
    for (int it : items) {
      c[it]++;
    }
    return c;
  }

  /**
   * The interactions at the given indices, in the given order, with the same {@code numUsers} and
   * {@code numItems}. Indices may repeat.
   *
   * @throws IndexOutOfBoundsException if an index is not in {@code [0, size())}
   */
  public Interactions subset(int[] indices) {
    int n = indices.length;
    int[] u = new int[n];
    int[] it = new int[n];
    float[] v = values == null ? null : new float[n];
    long[] t = timestamps == null ? null : new long[n];
    for (int k = 0; k < n; k++) {
      int i = Objects.checkIndex(indices[k], users.length);
      u[k] = users[i];
      it[k] = items[i];
      if (v != null) {
        v[k] = values[i];
      }
      if (t != null) {
        t[k] = timestamps[i];
      }
    }
    return new Interactions(numUsers, numItems, u, it, v, t);
  }

  /** The same interactions without values ({@link #hasValues()} false). */
  public Interactions withoutValues() {
    return values == null ? this : new Interactions(numUsers, numItems, users, items, null, timestamps);
  }

  /**
   * The interactions grouped by user (compressed sparse rows). Within a user, interactions are
   * ordered by timestamp, then item index, then interaction index, ascending, so the last one is
   * the latest. Computed once and cached.
   */
  public UserIndex byUser() {
    UserIndex index = byUser;
    if (index == null) {
      index = buildUserIndex();
      byUser = index;
    }
    return index;
  }

  private UserIndex buildUserIndex() {
    int n = users.length;
    int[] offsets = new int[numUsers + 1];
    for (int u : users) {
      offsets[u + 1]++;
    }
    for (int u = 0; u < numUsers; u++) {
      offsets[u + 1] += offsets[u];
    }
    int[] fill = Arrays.copyOf(offsets, numUsers);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[fill[users[i]]++] = i;
    }
    for (int u = 0; u < numUsers; u++) {
      IntSort.sort(order, offsets[u], offsets[u + 1], this::compareInTime);
    }
    int[] itemsInOrder = new int[n];
    for (int k = 0; k < n; k++) {
      itemsInOrder[k] = items[order[k]];
    }
    return new UserIndex(offsets, order, itemsInOrder);
  }

  private int compareInTime(int a, int b) {
    if (timestamps != null) {
      int c = Long.compare(timestamps[a], timestamps[b]);
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(items[a], items[b]);
    return c != 0 ? c : Integer.compare(a, b);
  }

  @Override
  public String toString() {
    return "Interactions[" + size() + " interactions, " + numUsers + " users, " + numItems + " items"
        + (hasValues() ? ", values" : "") + (hasTimestamps() ? ", timestamps" : "") + "]";
  }

  /**
   * Appends interactions and builds an {@link Interactions}. Whether values and timestamps are
   * present is fixed by the first call to {@link #add(int, int, float, long)} (values present unless
   * NaN; timestamps always present) or {@link #add(int, int)} (neither); mixing raises an error.
   */
  public static final class Builder {
    private final int numUsers;
    private final int numItems;
    private int size;
    private int[] users = new int[16];
    private int[] items = new int[16];
    private float[] values = new float[16];
    private long[] timestamps = new long[16];
    private int kind = -1; // -1 unknown, bit 1 values, bit 2 timestamps

    private Builder(int numUsers, int numItems) {
      this.numUsers = numUsers;
      this.numItems = numItems;
    }

    /** Adds an interaction without value or timestamp. */
    public Builder add(int user, int item) {
      return append(user, item, Float.NaN, 0L, 0);
    }

    /** Adds an interaction with a timestamp and a value (NaN for none). */
    public Builder add(int user, int item, float value, long timestamp) {
      return append(user, item, value, timestamp, (Float.isNaN(value) ? 0 : 1) | 2);
    }

    private Builder append(int user, int item, float value, long timestamp, int k) {
      if (kind >= 0 && kind != k) {
        throw new IllegalArgumentException("interaction " + size + ": every interaction must have the same columns (value present: "
            + ((kind & 1) != 0) + ", timestamp present: " + ((kind & 2) != 0) + " so far)");
      }
      kind = k;
      if (size == users.length) {
        int cap = size * 2;
        users = Arrays.copyOf(users, cap);
        items = Arrays.copyOf(items, cap);
        values = Arrays.copyOf(values, cap);
        timestamps = Arrays.copyOf(timestamps, cap);
      }
      users[size] = user;
      items[size] = item;
      values[size] = value;
      timestamps[size] = timestamp;
      size++;
      return this;
    }

    public Interactions build() {
      int[] u = Arrays.copyOf(users, size);
      int[] it = Arrays.copyOf(items, size);
      float[] v = kind > 0 && (kind & 1) != 0 ? Arrays.copyOf(values, size) : null;
      long[] t = kind > 0 && (kind & 2) != 0 ? Arrays.copyOf(timestamps, size) : null;
      validate(numUsers, numItems, u, it, v, t);
      return new Interactions(numUsers, numItems, u, it, v, t);
    }
  }
}
