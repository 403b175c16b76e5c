package org.fedrec.data;

/**
 * What a reader does with repeated (user, item) pairs. Whatever the policy, the {@link
 * DuplicateReport} of the {@link Dataset} says how many were found and merged.
 */
public enum DuplicatePolicy {
  /** Keep every row; the duplicates are counted but not merged. */
  KEEP_ALL,
  /**
   * Keep one row per pair: the one with the latest timestamp (ties, and sources without
   * timestamps: the one read last). The kept row takes the position of the pair's first
   * occurrence. The default.
   */
  KEEP_LATEST,
  /** Throw a {@link DataFormatException} at the first repeat, naming both lines. */
  FAIL
}
