package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ColdItemSplitTest {
  record Case(Interactions interactions, double cold, double validation, long seed) {
    @Override
    public String toString() {
      return interactions + " cold " + cold + " validation " + validation + " seed " + seed;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Double> cold = Arbitraries.of(0.01, 0.1, 0.2, 0.5, 0.9);
    Arbitrary<Double> validation = Arbitraries.of(0.0, 0.05, 0.1, 0.3);
    return Combinators.combine(Arbitraries.integers().between(1, 30), Arbitraries.integers().between(1, 40),
        Arbitraries.integers().between(0, 300), cold, validation, Arbitraries.longs()).as((users, items, size, c, v, seed) -> {
          java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
          int[] u = new int[size];
          int[] it = new int[size];
          long[] t = new long[size];
          for (int i = 0; i < size; i++) {
            u[i] = r.nextInt(users);
            it[i] = r.nextInt(items);
            t[i] = r.nextInt(10);
          }
          double validationFraction = c + v < 1 ? v : 0.0;
          return new Case(Interactions.of(users, items, u, it, null, t), c, validationFraction, seed);
        });
  }

  /** Multiset of (user, item, timestamp) triples of some parts. */
  private static Map<String, Integer> triples(Interactions... parts) {
    Map<String, Integer> out = new HashMap<>();
    for (Interactions p : parts) {
      for (int i = 0; i < p.size(); i++) {
        out.merge(p.user(i) + "/" + p.item(i) + "/" + p.timestamp(i), 1, Integer::sum);
      }
    }
    return out;
  }

  private static Set<Integer> itemsOf(Interactions part) {
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < part.size(); i++) {
      out.add(part.item(i));
    }
    return out;
  }

  private static Set<Integer> intersection(Set<Integer> a, Set<Integer> b) {
    Set<Integer> out = new HashSet<>(a);
    out.retainAll(b);
    return out;
  }

  @Property
  void losesAndRepeatsNothingAndHoldsItemsOutEntirely(@ForAll("cases") Case c) {
    Split s = new ColdItemSplit(c.cold(), c.validation(), c.seed()).split(c.interactions());
    assertThat(triples(s.train(), s.validation(), s.test())).isEqualTo(triples(c.interactions()));
    Set<Integer> train = itemsOf(s.train());
    Set<Integer> validation = itemsOf(s.validation());
    Set<Integer> test = itemsOf(s.test());
    assertThat(intersection(train, test)).isEmpty();
    assertThat(intersection(train, validation)).isEmpty();
    assertThat(intersection(validation, test)).isEmpty();
    int interacted = itemsOf(c.interactions()).size();
    if (interacted > 0) {
      assertThat(train).isNotEmpty();
    }
    int expectedTest = (int) Math.min(Math.round(interacted * c.cold()), Math.max(0, interacted - 1));
    assertThat(test).hasSize(expectedTest);
    assertThat(validation).hasSize((int) Math.min(Math.round(interacted * c.validation()),
        Math.max(0, interacted - 1 - expectedTest)));
  }

  @Property
  void isDeterministicAndTestItemsDoNotDependOnValidation(@ForAll("cases") Case c) {
    Split s = new ColdItemSplit(c.cold(), c.validation(), c.seed()).split(c.interactions());
    Split again = new ColdItemSplit(c.cold(), c.validation(), c.seed()).split(c.interactions());
    assertThat(again.test().itemsArray()).isEqualTo(s.test().itemsArray());
    assertThat(again.validation().itemsArray()).isEqualTo(s.validation().itemsArray());
    Split noValidation = new ColdItemSplit(c.cold(), 0.0, c.seed()).split(c.interactions());
    assertThat(noValidation.test().itemsArray()).isEqualTo(s.test().itemsArray());
    assertThat(noValidation.validation().size()).isZero();
  }

  @Test
  void differentSeedsHoldOutDifferentItems() {
    Interactions x = SyntheticShop.generate(SyntheticShop.Config.defaults().withSize(50, 200)).interactions();
    Set<Integer> a = itemsOf(new ColdItemSplit(0.2, 0.1, 1).split(x).test());
    Set<Integer> b = itemsOf(new ColdItemSplit(0.2, 0.1, 2).split(x).test());
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void partsKeepTheInputOrderAndUsersWithoutTrainAreCounted() {
    // items 0..4 each touched; user 2 touches only item 4
    Interactions x = Interactions.of(3, 6, new int[] {0, 0, 1, 1, 0, 2, 1}, new int[] {0, 1, 2, 3, 4, 4, 0}, null, null);
    Split s = new ColdItemSplit(0.4, 0.2, 5).split(x);
    assertThat(itemsOf(s.test())).hasSize(2);
    assertThat(itemsOf(s.validation())).hasSize(1);
    for (Interactions part : new Interactions[] {s.train(), s.validation(), s.test()}) {
      assertThat(part.numItems()).isEqualTo(6);
      assertThat(part.numUsers()).isEqualTo(3);
    }
    int expected = 0;
    for (int u = 0; u < 3; u++) {
      if (s.train().countsPerUser()[u] == 0) {
        expected++;
      }
    }
    assertThat(ColdItemSplit.usersWithoutTrain(s)).isEqualTo(expected);
    // user 2 has no train interaction exactly when item 4 is held out
    boolean item4HeldOut = !itemsOf(s.train()).contains(4);
    assertThat(s.train().countsPerUser()[2] == 0).isEqualTo(item4HeldOut);
  }

  @Test
  void refusesBadFractions() {
    assertThatThrownBy(() -> new ColdItemSplit(0.0, 0.1, 1)).hasMessage("expected coldFraction in (0, 1), "
        + "validationFraction in [0, 1) and coldFraction + validationFraction < 1, got coldFraction 0.0, validationFraction 0.1");
    assertThatThrownBy(() -> new ColdItemSplit(0.7, 0.3, 1)).hasMessageContaining("got coldFraction 0.7, validationFraction 0.3");
    assertThatThrownBy(() -> new ColdItemSplit(Double.NaN, 0.1, 1)).hasMessageContaining("coldFraction NaN");
    assertThatThrownBy(() -> new ColdItemSplit(0.2, -0.1, 1)).hasMessageContaining("validationFraction -0.1");
  }
}
