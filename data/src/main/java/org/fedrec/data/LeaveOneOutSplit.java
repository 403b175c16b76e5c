package org.fedrec.data;

import java.util.Arrays;

/**
 * Leave-one-out: per user the latest interaction is the test item and, with validation, the second
 * latest is the validation item; everything else is train.
 *
 * <p>"Latest" orders a user's interactions by timestamp, then item index, ascending, and takes the
 * last: ties on the timestamp go to the <b>larger item index</b>, as in the reference protocol
 * (NCF, He et al. 2017; the peer's {@code torch_mf.py} sorts by (user, timestamp, item) and takes
 * the last). Without timestamps this is simply the largest item index.
 *
 * <p>A held-out interaction is only taken while at least one interaction stays in train: a user with
 * one interaction keeps it in train (no test item); with validation, a user with two interactions
 * gets a test item but no validation item. Such users are therefore absent from the test (or
 * validation) set. Each part lists its interactions in the order of the input.
 */
public final class LeaveOneOutSplit implements Splitter {
  private final boolean withValidation;

  /** @param withValidation also hold out each user's second-latest interaction as validation */
  public LeaveOneOutSplit(boolean withValidation) {
    this.withValidation = withValidation;
  }

  @Override
  public Split split(Dataset dataset) {
    return split(dataset.interactions());
  }

  public Split split(Interactions interactions) {
    UserIndex index = interactions.byUser();
    int n = interactions.size();
    byte[] part = new byte[n]; // 0 train, 1 validation, 2 test
    for (int u = 0; u < interactions.numUsers(); u++) {
      int count = index.count(u);
      if (count >= 2) {
        part[index.interactionAt(index.end(u) - 1)] = 2;
      }
      if (withValidation && count >= 3) {
        part[index.interactionAt(index.end(u) - 2)] = 1;
      }
    }
    return byPart(interactions, part);
  }

  /** Builds a split from a part code per interaction (0 train, 1 validation, 2 test). */
  static Split byPart(Interactions interactions, byte[] part) {
    int n = part.length;
    int[][] idx = new int[3][n];
    int[] sizes = new int[3];
    for (int i = 0; i < n; i++) {
      idx[part[i]][sizes[part[i]]++] = i;
    }
    return new Split(interactions.subset(Arrays.copyOf(idx[0], sizes[0])), interactions.subset(Arrays.copyOf(idx[1], sizes[1])),
        interactions.subset(Arrays.copyOf(idx[2], sizes[2])));
  }

  @Override
  public String toString() {
    return "LeaveOneOutSplit[withValidation=" + withValidation + "]";
  }
}
