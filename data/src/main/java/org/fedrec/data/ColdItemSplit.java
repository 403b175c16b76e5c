package org.fedrec.data;

import org.fedrec.core.SplitMix64;
import org.fedrec.data.internal.UserGroups;

/**
 * Cold-start items: a seeded fraction of the items is held out <em>entirely</em>: every interaction with
 * them goes to test, so a model never sees them in training. A second, disjoint fraction goes to
 * validation the same way, so early stopping never looks at a test item. Everything else is train.
 *
 * <p>Only items with at least one interaction are drawn (an item nobody touched would be held out for
 * nothing). Of those {@code m} items, the list is shuffled with a generator derived from the seed alone;
 * the first {@code round(m * coldFraction)} are the test items and the next
 * {@code round(m * validationFraction)} the validation items, each reduced so that at least one item stays
 * in train (test first keeps its share). So the <b>test items do not depend on the validation
 * fraction</b>: a refit on train + validation ({@code validationFraction = 0}) is tested on the same items.
 * Each part lists its interactions in the order of the input; none is lost or repeated.
 *
 * <p>Users whose every interaction is with held-out items end up with no training interaction. They
 * are kept as they are (their interactions stay in test or validation, nothing is moved into train,
 * which would leak a cold item): such a user is a cold user as well, so no client holds them and
 * evaluation counts only users with a training history. {@link #usersWithoutTrain(Split)} counts them.
 */
public final class ColdItemSplit implements Splitter {
  /** The stream of {@link SplitMix64#forXorStream} the item shuffle draws from. */
  private static final long STREAM = 0x636f6c64L; // "cold"

  private final double coldFraction;
  private final double validationFraction;
  private final long seed;

  /**
   * @param coldFraction fraction of the interacted items held out for test, in (0, 1)
   * @param validationFraction fraction held out for validation, in [0, 1), with
   *     {@code coldFraction + validationFraction < 1}
   * @throws IllegalArgumentException if a fraction is outside its range or NaN
   */
  public ColdItemSplit(double coldFraction, double validationFraction, long seed) {
    if (!(coldFraction > 0 && coldFraction < 1) || !(validationFraction >= 0 && validationFraction < 1)
        || !(coldFraction + validationFraction < 1)) {
      throw new IllegalArgumentException("expected coldFraction in (0, 1), validationFraction in [0, 1) and "
          + "coldFraction + validationFraction < 1, got coldFraction " + coldFraction + ", validationFraction "
          + validationFraction);
    }
    this.coldFraction = coldFraction;
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  @Override
  public Split split(Dataset dataset) {
    return split(dataset.interactions());
  }

  public Split split(Interactions interactions) {
    byte[] partOfItem = partOfItem(interactions);
    byte[] part = new byte[interactions.size()];
    for (int i = 0; i < part.length; i++) {
      part[i] = partOfItem[interactions.item(i)];
    }
    return LeaveOneOutSplit.byPart(interactions, part);
  }

  /** Per item: 0 train (or no interaction), 1 validation, 2 test. */
  private byte[] partOfItem(Interactions interactions) {
    int[] counts = interactions.countsPerItem();
    int[] items = UserGroups.indicesOfPositive(counts);
    int m = items.length;
    SplitMix64.forXorStream(seed, STREAM).shuffle(items, 0, m);
    int nTest = (int) Math.min(Math.round(m * coldFraction), Math.max(0, m - 1));
    int nValidation = (int) Math.min(Math.round(m * validationFraction), Math.max(0, m - 1 - nTest));
    byte[] part = new byte[counts.length];
    for (int k = 0; k < nTest; k++) {
      part[items[k]] = 2;
    }
    for (int k = nTest; k < nTest + nValidation; k++) {
      part[items[k]] = 1;
    }
    return part;
  }

  /** The users with an interaction in validation or test but none in train. */
  public static int usersWithoutTrain(Split split) {
    int[] train = split.train().countsPerUser();
    int[] validation = split.validation().countsPerUser();
    int[] test = split.test().countsPerUser();
    int n = 0;
    for (int u = 0; u < train.length; u++) {
      if (train[u] == 0 && validation[u] + test[u] > 0) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "ColdItemSplit[cold=" + coldFraction + ", validation=" + validationFraction + ", seed=" + seed + "]";
  }
}
