package org.fedrec.data;

import org.fedrec.core.SplitMix64;

/**
 * A random per-user split: each user's interactions are shuffled (with a generator derived from
 * the seed and the user index, so the result does not depend on other users) and
 * {@code round(n * testRatio)} go to test, then {@code round(n * validationRatio)} to validation,
 * the rest to train. Held-out counts are reduced so that at least one interaction per user stays
 * in train (test first keeps its share). Each part lists its interactions in the order of the input.
 */
public final class RandomRatioSplit implements Splitter {
  private final double testRatio;
  private final double validationRatio;
  private final long seed;

  /**
   * @param testRatio in [0, 1)
   * @param validationRatio in [0, 1), with {@code testRatio + validationRatio < 1}
   */
  public RandomRatioSplit(double testRatio, double validationRatio, long seed) {
    if (!(testRatio >= 0 && testRatio < 1) || !(validationRatio >= 0 && validationRatio < 1)
        || !(testRatio + validationRatio < 1)) {
      throw new IllegalArgumentException("expected ratios in [0, 1) with testRatio + validationRatio < 1, got testRatio "
          + testRatio + ", validationRatio " + validationRatio);
    }
    this.testRatio = testRatio;
    this.validationRatio = validationRatio;
    this.seed = seed;
  }

  @Override
  public Split split(Dataset dataset) {
    return split(dataset.interactions());
  }

  public Split split(Interactions interactions) {
    UserIndex index = interactions.byUser();
    byte[] part = new byte[interactions.size()];
    for (int u = 0; u < interactions.numUsers(); u++) {
      int[] own = index.interactionsOf(u);
      int n = own.length;
      if (n < 2) {
        continue;
      }
      SplitMix64.forXorStream(seed, u).shuffle(own, 0, n);
      int nTest = (int) Math.min(Math.round(n * testRatio), n - 1);
      int nValidation = (int) Math.min(Math.round(n * validationRatio), n - 1 - nTest);
      for (int k = 0; k < nTest; k++) {
        part[own[k]] = 2;
      }
      for (int k = nTest; k < nTest + nValidation; k++) {
        part[own[k]] = 1;
      }
    }
    return LeaveOneOutSplit.byPart(interactions, part);
  }

  @Override
  public String toString() {
    return "RandomRatioSplit[test=" + testRatio + ", validation=" + validationRatio + ", seed=" + seed + "]";
  }
}
