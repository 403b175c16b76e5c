package org.fedrec.data;

import java.util.List;

/**
 * What a reader found of repeated (user, item) pairs.
 *
 * @param policy the policy applied
 * @param found how many rows repeated an earlier (user, item) pair
 * @param merged how many of those rows were merged away (0 under {@link DuplicatePolicy#KEEP_ALL})
 * @param examples up to 5 of them, in reading order
 */
public record DuplicateReport(DuplicatePolicy policy, int found, int merged, List<Example> examples) {
  /** The most examples a report keeps. */
  public static final int MAX_EXAMPLES = 5;

  /**
   * One repeated pair: the row at {@code file:line} repeats the one at {@code firstFile:firstLine}.
   * Ids are the source's ids.
   */
  public record Example(String user, String item, String file, long line, String firstFile, long firstLine) {
    @Override
    public String toString() {
      return file + ":" + line + " repeats " + firstFile + ":" + firstLine + " (user " + user + ", item " + item + ")";
    }
  }

  public DuplicateReport {
    if (found < 0 || merged < 0 || merged > found) {
      throw new IllegalArgumentException("expected 0 <= merged <= found, got found " + found + ", merged " + merged);
    }
    examples = List.copyOf(examples);
  }

  /** A report of no duplicates. */
  public static DuplicateReport none(DuplicatePolicy policy) {
    return new DuplicateReport(policy, 0, 0, List.of());
  }

  /** One line for a person, e.g. {@code 2 duplicate (user, item) rows, 2 merged (KEEP_LATEST); e.g. ...}. */
  public String summary() {
    if (found == 0) {
      return "no duplicate (user, item) rows";
    }
    return found + " duplicate (user, item) row" + (found == 1 ? "" : "s") + ", " + merged + " merged (" + policy + "); e.g. "
        + examples.get(0);
  }
}
