package org.fedrec.data.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.DuplicatePolicy;
import org.fedrec.data.DuplicateReport;
import org.fedrec.data.IdMapping;
import org.fedrec.data.Interactions;
import org.fedrec.data.Split;

/**
 * Accumulates rows while a reader parses its files: interns ids, applies the {@link
 * DuplicatePolicy} as rows arrive (so merged rows cost no memory) and remembers each row's file,
 * line and part (train 0, test 1) for reports and given splits.
 */
public final class InteractionCollector {
  private final DuplicatePolicy policy;
  private final boolean withValues;
  private final boolean withTimestamps;
  public final IdInterner users;
  public final IdInterner items;

  private int size;
  private int[] u = new int[1024];
  private int[] it = new int[1024];
  private float[] v;
  private long[] t;
  private int[] lines = new int[1024];
  private byte[] source = new byte[1024];
  private byte[] part = new byte[1024];

  private final List<Path> sources = new ArrayList<>();
  private int currentSource = -1;
  private byte currentPart;
  private final LongIntHashMap pairs = new LongIntHashMap(1024);
  private int found;
  private int merged;
  private final List<DuplicateReport.Example> examples = new ArrayList<>();

  /** The collected table. */
  public record Result(Interactions interactions, IdMapping users, IdMapping items, DuplicateReport duplicates, Split givenSplit) {}

  public InteractionCollector(DuplicatePolicy policy, boolean numericIds, boolean withValues, boolean withTimestamps) {
    this.policy = policy;
    this.withValues = withValues;
    this.withTimestamps = withTimestamps;
    this.users = new IdInterner(numericIds);
    this.items = new IdInterner(numericIds);
    v = withValues ? new float[1024] : null;
    t = withTimestamps ? new long[1024] : null;
  }

  /** Rows added from now on come from {@code file} and belong to {@code part} (0 train, 1 test). */
  public void beginSource(Path file, int part) {
    if (sources.size() == Byte.MAX_VALUE) {
      throw new IllegalStateException("too many source files");
    }
    sources.add(file);
    currentSource = sources.size() - 1;
    currentPart = (byte) part;
  }

  public int size() {
    return size;
  }

  /** Adds a row of provisional user and item indices read at {@code line} of the current source. */
  public void add(int user, int item, float value, long timestamp, long line) {
    long key = ((long) user << 32) | (item & 0xffffffffL);
    int prev = pairs.get(key);
    if (prev >= 0) {
      found++;
      Path file = sources.get(currentSource);
      Path firstFile = sources.get(source[prev]);
      if (policy == DuplicatePolicy.FAIL) {
        throw new DataFormatException(file, line, "duplicate interaction (user " + users.originalId(user) + ", item "
            + items.originalId(item) + "): first seen at " + firstFile.getFileName() + ":" + lines[prev] + " (duplicate policy FAIL)");
      }
      if (examples.size() < DuplicateReport.MAX_EXAMPLES) {
        examples.add(new DuplicateReport.Example(users.originalId(user), items.originalId(item), String.valueOf(file.getFileName()),
            line, String.valueOf(firstFile.getFileName()), lines[prev]));
      }
      if (policy == DuplicatePolicy.KEEP_LATEST) {
        merged++;
        if (!withTimestamps || timestamp >= t[prev]) {
          set(prev, value, timestamp, line);
        }
        return;
      }
    } else {
      pairs.put(key, size);
    }
    if (size == u.length) {
      grow();
    }
    u[size] = user;
    it[size] = item;
    set(size, value, timestamp, line);
    size++;
  }

  private void set(int row, float value, long timestamp, long line) {
    if (withValues) {
      v[row] = value;
    }
    if (withTimestamps) {
      t[row] = timestamp;
    }
    lines[row] = (int) Math.min(line, Integer.MAX_VALUE);
    source[row] = (byte) currentSource;
    part[row] = currentPart;
  }

  private void grow() {
    int cap = u.length * 2;
    u = Arrays.copyOf(u, cap);
    it = Arrays.copyOf(it, cap);
    v = withValues ? Arrays.copyOf(v, cap) : null;
    t = withTimestamps ? Arrays.copyOf(t, cap) : null;
    lines = Arrays.copyOf(lines, cap);
    source = Arrays.copyOf(source, cap);
    part = Arrays.copyOf(part, cap);
  }

  /**
   * Builds the table.
   *
   * @param denseIds ids are already 0-based indices: identity mappings {@code 0..max}
   * @param withGivenSplit build the train/test split from the parts
   */
  public Result finish(boolean denseIds, boolean withGivenSplit) {
    IdInterner.Finished fu = denseIds ? users.finishDense() : users.finish();
    IdInterner.Finished fi = denseIds ? items.finishDense() : items.finish();
    int[] uu = new int[size];
    int[] ii = new int[size];
    for (int r = 0; r < size; r++) {
      uu[r] = fu.finalIndex()[u[r]];
      ii[r] = fi.finalIndex()[it[r]];
    }
    Interactions all = Interactions.of(fu.mapping().size(), fi.mapping().size(), uu, ii,
        withValues ? Arrays.copyOf(v, size) : null, withTimestamps ? Arrays.copyOf(t, size) : null);
    Split split = null;
    if (withGivenSplit) {
      int[] train = new int[size];
      int[] test = new int[size];
      int nTrain = 0;
      int nTest = 0;
      for (int r = 0; r < size; r++) {
        if (part[r] == 0) {
          train[nTrain++] = r;
        } else {
          test[nTest++] = r;
        }
      }
      split = new Split(all.subset(Arrays.copyOf(train, nTrain)), all.subset(new int[0]),
          all.subset(Arrays.copyOf(test, nTest)));
    }
    return new Result(all, fu.mapping(), fi.mapping(), new DuplicateReport(policy, found, merged, examples), split);
  }
}
