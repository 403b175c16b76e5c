package org.fedrec.data;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedrec.data.internal.IntSort;

/**
 * Maps the source's string ids to dense indices {@code 0..size()-1} and back.
 *
 * <p>The order is a function of the set of ids alone, so reading the same data again (or a file
 * with the rows shuffled) gives the same indices: <b>ascending numeric order when every id is a
 * decimal integer</b> (optional sign, at most 18 digits; ties between spellings such as {@code 7} and
 * {@code 07} broken lexicographically), <b>otherwise lexicographic order</b> ({@link
 * String#compareTo}). Readers of numeric formats (MovieLens) store ids in canonical form
 * ({@code 007} becomes {@code 7}).
 */
public final class IdMapping {
  private final String[] ids;
  private final Map<String, Integer> index;
  private final boolean numeric;

  private IdMapping(String[] ids, boolean numeric) {
    this.ids = ids;
    this.numeric = numeric;
    this.index = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (index.put(ids[i], i) != null) {
        throw new IllegalArgumentException("duplicate id '" + ids[i] + "'");
      }
    }
  }

  /**
   * A mapping over the given distinct ids, ordered by the rule above.
   *
   * @throws IllegalArgumentException if an id repeats or is null
   */
  public static IdMapping of(Collection<String> ids) {
    String[] a = ids.toArray(new String[0]);
    int n = a.length;
    long[] numbers = new long[n];
    boolean numeric = true;
    for (int i = 0; i < n && numeric; i++) {
      if (a[i] == null) {
        throw new IllegalArgumentException("id " + i + " is null");
      }
      numeric = isInteger(a[i]);
      if (numeric) {
        numbers[i] = Long.parseLong(a[i]);
      }
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (numeric) {
      IntSort.sort(order, 0, n, (x, y) -> {
        int c = Long.compare(numbers[x], numbers[y]);
        return c != 0 ? c : a[x].compareTo(a[y]);
      });
    } else {
      IntSort.sort(order, 0, n, (x, y) -> a[x].compareTo(a[y]));
    }
    String[] sorted = new String[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = a[order[i]];
    }
    return new IdMapping(sorted, numeric);
  }

  /** The identity mapping over ids "0", "1", ..., "n-1". */
  public static IdMapping range(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i);
    }
    return new IdMapping(ids, true);
  }

  private static boolean isInteger(String s) {
    int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    if (i == s.length() || s.length() - i > 18) {
      return false;
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The number of ids. */
  public int size() {
    return ids.length;
  }

  /** True when every id is an integer (the numeric ordering rule applied). */
  public boolean isNumeric() {
    return numeric;
  }

  /** The source id of a dense index. */
  public String originalId(int index) {
    return ids[index];
  }

  /**
   * The dense index of a source id.
   *
   * @throws IllegalArgumentException if the id is unknown
   */
  public int index(String id) {
    Integer i = index.get(id);
    if (i == null) {
      throw new IllegalArgumentException("unknown id '" + id + "' (the mapping holds " + ids.length + " ids"
          + (ids.length > 0 ? ", from '" + ids[0] + "' to '" + ids[ids.length - 1] + "'" : "") + ")");
    }
    return i;
  }

  /** True if the id is known. */
  public boolean contains(String id) {
    return index.containsKey(id);
  }

  /** All ids in index order. */
  public List<String> ids() {
    return List.of(ids);
  }

  @Override
  public String toString() {
    return "IdMapping[" + ids.length + " ids, " + (numeric ? "numeric" : "lexicographic") + " order]";
  }
}
