package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
  /**
   * user 0: items 5 (t=1), 3 (t=2), 7 (t=2), 1 (t=0) - latest is (t=2, item 7), then (t=2, item 3);
   * user 1: one interaction; user 2: items 4 (t=9), 2 (t=8); user 3: none.
   */
  private static Interactions sample() {
    return Interactions.of(4, 8, new int[] {0, 0, 0, 0, 1, 2, 2}, new int[] {5, 3, 7, 1, 6, 4, 2},
        new float[] {1, 2, 3, 4, 5, 1, 2}, new long[] {1, 2, 2, 0, 3, 9, 8});
  }

  @Test
  void leaveOneOutTakesTheLatestTiesToTheLargerItem() {
    Split s = new LeaveOneOutSplit(false).split(sample());
    assertThat(s.test().usersArray()).containsExactly(0, 2);
    assertThat(s.test().itemsArray()).containsExactly(7, 4);
    assertThat(s.validation().size()).isZero();
    // user 1 has one interaction: it stays in train
    assertThat(s.train().usersArray()).containsExactly(0, 0, 0, 1, 2);
    assertThat(s.train().itemsArray()).containsExactly(5, 3, 1, 6, 2);
    assertThat(s.train().numUsers()).isEqualTo(4);
    assertThat(s.test().numItems()).isEqualTo(8);
    assertThat(s.test().valuesArray()).containsExactly(3f, 1f);
  }

  @Test
  void leaveOneOutWithValidationTakesTheSecondLatest() {
    Split s = new LeaveOneOutSplit(true).split(sample());
    assertThat(s.test().itemsArray()).containsExactly(7, 4);
    // user 2 has two interactions: a test item but no validation item
    assertThat(s.validation().usersArray()).containsExactly(0);
    assertThat(s.validation().itemsArray()).containsExactly(3);
    assertThat(s.train().itemsArray()).containsExactly(5, 1, 6, 2);
  }

  @Test
  void leaveOneOutWithoutTimestampsTakesTheLargestItem() {
    Interactions x = Interactions.of(1, 9, new int[] {0, 0, 0}, new int[] {8, 2, 5}, null, null);
    assertThat(new LeaveOneOutSplit(false).split(x).test().itemsArray()).containsExactly(8);
  }

  @Test
  void randomRatioSplitIsPerUserDisjointAndDeterministic() {
    Interactions x = SyntheticShop.generate(SyntheticShop.Config.defaults().withSize(50, 200)).interactions();
    RandomRatioSplit splitter = new RandomRatioSplit(0.2, 0.1, 7);
    Split s = splitter.split(x);
    assertThat(s.train().size() + s.validation().size() + s.test().size()).isEqualTo(x.size());
    int[] perUser = x.countsPerUser();
    int[] test = s.test().countsPerUser();
    int[] validation = s.validation().countsPerUser();
    for (int u = 0; u < x.numUsers(); u++) {
      assertThat(test[u]).isEqualTo(Math.round(perUser[u] * 0.2));
      assertThat(validation[u]).isEqualTo(Math.round(perUser[u] * 0.1));
    }
    Set<Long> pairs = new HashSet<>();
    for (Interactions part : new Interactions[] {s.train(), s.validation(), s.test()}) {
      for (int i = 0; i < part.size(); i++) {
        assertThat(pairs.add(((long) part.user(i) << 32) | part.item(i))).isTrue();
      }
    }
    Split again = splitter.split(x);
    assertThat(again.test().itemsArray()).isEqualTo(s.test().itemsArray());
    assertThat(new RandomRatioSplit(0.2, 0.1, 8).split(x).test().itemsArray()).isNotEqualTo(s.test().itemsArray());
  }

  @Test
  void randomRatioSplitLeavesOneTrainInteraction() {
    Interactions x = Interactions.of(2, 3, new int[] {0, 0, 1}, new int[] {0, 1, 2}, null, null);
    Split s = new RandomRatioSplit(0.9, 0.0, 1).split(x);
    assertThat(s.train().countsPerUser()).containsExactly(1, 1);
    assertThat(s.test().countsPerUser()).containsExactly(1, 0);
    assertThatThrownBy(() -> new RandomRatioSplit(0.6, 0.5, 1))
        .hasMessage("expected ratios in [0, 1) with testRatio + validationRatio < 1, got testRatio 0.6, validationRatio 0.5");
  }

  @Test
  void splitRequiresSharedDimensions() {
    assertThatThrownBy(() -> new Split(Interactions.empty(2, 3), Interactions.empty(2, 3), Interactions.empty(2, 4)))
        .hasMessageContaining("all parts must share numUsers and numItems");
  }
}
