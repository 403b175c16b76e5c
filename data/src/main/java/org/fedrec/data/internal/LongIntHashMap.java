package org.fedrec.data.internal;

import java.util.Arrays;
import org.fedrec.core.SplitMix64;

/** Open-addressing map from long keys to non-negative int values; {@link #get} returns -1 if absent. */
public final class LongIntHashMap {
  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  public LongIntHashMap() {
    this(16);
  }

  public LongIntHashMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    Arrays.fill(values, -1);
    mask = cap - 1;
  }

  public int size() {
    return size;
  }

  public int get(long key) {
    int i = (int) SplitMix64.mix(key) & mask;
    while (values[i] >= 0) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Stores the value for the key; {@code value} must be non-negative. */
  public void put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must be non-negative, got " + value);
    }
    int i = (int) SplitMix64.mix(key) & mask;
    while (values[i] >= 0) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(values, -1);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] >= 0) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
