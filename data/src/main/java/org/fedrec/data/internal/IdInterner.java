package org.fedrec.data.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.fedrec.data.IdMapping;

/**
 * Gives source ids provisional indices in first-seen order while reading, then the final {@link
 * IdMapping} and the provisional-to-final index map. Numeric ids are interned as longs (no String
 * per row).
 */
public final class IdInterner {
  private final LongIntHashMap numbers = new LongIntHashMap();
  private long[] numericIds = new long[64];
  private final HashMap<String, Integer> strings = new HashMap<>();
  private final List<String> stringIds = new ArrayList<>();
  private final boolean numeric;

  /** The interner's mapping and the final index of each provisional index. */
  public record Finished(IdMapping mapping, int[] finalIndex) {}

  public IdInterner(boolean numeric) {
    this.numeric = numeric;
  }

  public int size() {
    return numeric ? numbers.size() : stringIds.size();
  }

  public int intern(long id) {
    int p = numbers.get(id);
    if (p < 0) {
      p = numbers.size();
      if (p == numericIds.length) {
        numericIds = Arrays.copyOf(numericIds, p * 2);
      }
      numericIds[p] = id;
      numbers.put(id, p);
    }
    return p;
  }

  public int intern(String id) {
    Integer p = strings.get(id);
    if (p == null) {
      p = stringIds.size();
      strings.put(id, p);
      stringIds.add(id);
    }
    return p;
  }

  public String originalId(int provisional) {
    return numeric ? Long.toString(numericIds[provisional]) : stringIds.get(provisional);
  }

  /** The mapping by {@link IdMapping}'s ordering rule. */
  public Finished finish() {
    int n = size();
    List<String> ids = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      ids.add(originalId(p));
    }
    IdMapping mapping = IdMapping.of(ids);
    int[] finalIndex = new int[n];
    for (int p = 0; p < n; p++) {
      finalIndex[p] = mapping.index(ids.get(p));
    }
    return new Finished(mapping, finalIndex);
  }

  /**
   * The identity mapping {@code 0..max}: for sources whose ids are already dense indices. Ids in the
   * range that never occur are still indices (with no interactions).
   */
  public Finished finishDense() {
    if (!numeric) {
      throw new IllegalStateException("dense ids need a numeric interner");
    }
    int n = size();
    long max = -1;
    for (int p = 0; p < n; p++) {
      max = Math.max(max, numericIds[p]);
    }
    int[] finalIndex = new int[n];
    for (int p = 0; p < n; p++) {
      finalIndex[p] = (int) numericIds[p];
    }
    return new Finished(IdMapping.range((int) (max + 1)), finalIndex);
  }
}
