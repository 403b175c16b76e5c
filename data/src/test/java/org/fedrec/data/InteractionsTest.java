package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InteractionsTest {
  private static Interactions sample() {
    // user 0: items 2 (t=5), 1 (t=5), 0 (t=9); user 1: item 0 (t=1); user 2: none
    return Interactions.of(3, 3, new int[] {0, 0, 1, 0}, new int[] {2, 1, 0, 0}, new float[] {4, 3, 5, 1},
        new long[] {5, 5, 1, 9});
  }

  @Test
  void exposesColumnsByIndex() {
    Interactions x = sample();
    assertThat(x.size()).isEqualTo(4);
    assertThat(x.numUsers()).isEqualTo(3);
    assertThat(x.numItems()).isEqualTo(3);
    assertThat(x.user(2)).isEqualTo(1);
    assertThat(x.item(0)).isEqualTo(2);
    assertThat(x.value(2)).isEqualTo(5f);
    assertThat(x.timestamp(3)).isEqualTo(9L);
    assertThat(x.hasValues()).isTrue();
    assertThat(x.hasTimestamps()).isTrue();
    assertThat(x.countsPerUser()).containsExactly(3, 1, 0);
    assertThat(x.countsPerItem()).containsExactly(2, 1, 1);
  }

  @Test
  void absentColumnsReadAsNaNAndZero() {
    Interactions x = Interactions.of(1, 2, new int[] {0, 0}, new int[] {0, 1}, null, null);
    assertThat(x.hasValues()).isFalse();
    assertThat(x.hasTimestamps()).isFalse();
    assertThat(x.value(1)).isNaN();
    assertThat(x.timestamp(1)).isZero();
    assertThat(x.valuesArray()).containsExactly(Float.NaN, Float.NaN);
    assertThat(x.timestampsArray()).containsExactly(0L, 0L);
    assertThatThrownBy(() -> x.value(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void copiesArraysOnTheWayInAndOut() {
    int[] users = {0, 1};
    Interactions x = Interactions.of(2, 2, users, new int[] {1, 0}, null, null);
    users[0] = 1;
    x.usersArray()[1] = 0;
    assertThat(x.user(0)).isZero();
    assertThat(x.user(1)).isEqualTo(1);
  }

  @Test
  void validatesLengthsRangesAndValues() {
    assertThatThrownBy(() -> Interactions.of(2, 2, new int[] {0, 1}, new int[] {0}, null, null))
        .hasMessage("columns must have equal lengths, got users 2, items 1");
    assertThatThrownBy(() -> Interactions.of(2, 2, new int[] {0, 2}, new int[] {0, 0}, null, null))
        .hasMessage("interaction 1: expected a user in [0, 2), found 2");
    assertThatThrownBy(() -> Interactions.of(2, 2, new int[] {0}, new int[] {-1}, null, null))
        .hasMessage("interaction 0: expected an item in [0, 2), found -1");
    assertThatThrownBy(() -> Interactions.of(2, 2, new int[] {0}, new int[] {0}, new float[] {Float.NaN}, null))
        .hasMessageContaining("value is NaN");
  }

  @Test
  void subsetKeepsDimensionsAndOrder() {
    Interactions s = sample().subset(new int[] {3, 0});
    assertThat(s.numUsers()).isEqualTo(3);
    assertThat(s.numItems()).isEqualTo(3);
    assertThat(s.itemsArray()).containsExactly(0, 2);
    assertThat(s.timestampsArray()).containsExactly(9L, 5L);
    assertThatThrownBy(() -> sample().subset(new int[] {4})).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void byUserOrdersByTimestampThenItem() {
    UserIndex index = sample().byUser();
    assertThat(index.numUsers()).isEqualTo(3);
    // user 0: (t5, item 1) < (t5, item 2) < (t9, item 0)
    assertThat(index.interactionsOf(0)).containsExactly(1, 0, 3);
    assertThat(index.itemsOf(0)).containsExactly(1, 2, 0);
    assertThat(index.count(0)).isEqualTo(3);
    assertThat(index.itemsOf(1)).containsExactly(0);
    assertThat(index.count(2)).isZero();
    assertThat(index.itemsOf(2)).isEmpty();
    int p = index.start(0);
    assertThat(index.itemAt(p)).isEqualTo(1);
    assertThat(index.interactionAt(index.end(0) - 1)).isEqualTo(3);
  }

  @Test
  void byUserWithoutTimestampsOrdersByItem() {
    Interactions x = Interactions.of(1, 5, new int[] {0, 0, 0}, new int[] {4, 0, 2}, null, null);
    assertThat(x.byUser().itemsOf(0)).containsExactly(0, 2, 4);
  }

  @Test
  void builderFixesColumnsOnFirstAdd() {
    Interactions x = Interactions.builder(2, 2).add(0, 1, 3.5f, 10).add(1, 0, 4f, 11).build();
    assertThat(x.valuesArray()).containsExactly(3.5f, 4f);
    assertThat(x.timestampsArray()).containsExactly(10L, 11L);
    Interactions y = Interactions.builder(2, 2).add(0, 1).build();
    assertThat(y.hasValues()).isFalse();
    assertThat(y.hasTimestamps()).isFalse();
    Interactions z = Interactions.builder(2, 2).add(0, 1, Float.NaN, 7).build();
    assertThat(z.hasValues()).isFalse();
    assertThat(z.hasTimestamps()).isTrue();
    assertThatThrownBy(() -> Interactions.builder(2, 2).add(0, 1).add(1, 1, 2f, 3))
        .hasMessageContaining("interaction 1: every interaction must have the same columns");
    assertThatThrownBy(() -> Interactions.builder(2, 2).add(0, 5).build()).hasMessageContaining("expected an item in [0, 2)");
  }

  @Test
  void implicitFeedbackDropsValuesAndFilters() {
    Interactions x = sample();
    Interactions all = ImplicitFeedback.all(x);
    assertThat(all.size()).isEqualTo(4);
    assertThat(all.hasValues()).isFalse();
    assertThat(all.hasTimestamps()).isTrue();
    Interactions liked = ImplicitFeedback.atLeast(x, 4f);
    assertThat(liked.itemsArray()).containsExactly(2, 0);
    assertThat(liked.usersArray()).containsExactly(0, 1);
    assertThat(liked.hasValues()).isFalse();
    Interactions noValues = Interactions.of(1, 1, new int[] {0}, new int[] {0}, null, null);
    assertThatThrownBy(() -> ImplicitFeedback.atLeast(noValues, 4f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a threshold of 4.0 was given but the interactions have no values");
  }
}
