package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticShopTest {
  private static final Dataset DEFAULT = SyntheticShop.generate(SyntheticShop.Config.defaults());

  @Test
  void defaultsHaveTheDocumentedShape() {
    Interactions x = DEFAULT.interactions();
    assertThat(x.numUsers()).isEqualTo(2000);
    assertThat(x.numItems()).isEqualTo(1000);
    assertThat(DEFAULT.catalog().numCategories()).isEqualTo(20);
    assertThat(x.hasValues()).isFalse();
    assertThat(x.hasTimestamps()).isTrue();
    UserIndex byUser = x.byUser();
    Set<Long> pairs = new HashSet<>();
    for (int u = 0; u < x.numUsers(); u++) {
      assertThat(byUser.count(u)).isBetween(40, 60);
      long previous = Long.MIN_VALUE;
      for (int p = byUser.start(u); p < byUser.end(u); p++) {
        long t = x.timestamp(byUser.interactionAt(p));
        assertThat(t).as("timestamps increase per user").isGreaterThan(previous);
        previous = t;
        assertThat(pairs.add(((long) u << 32) | byUser.itemAt(p))).as("no repeated item").isTrue();
      }
    }
    int[] popularity = x.countsPerItem();
    int[] sorted = popularity.clone();
    java.util.Arrays.sort(sorted);
    // Zipf-like: the top 10% of items take a large share of the interactions
    long top = 0;
    for (int i = sorted.length - 100; i < sorted.length; i++) {
      top += sorted[i];
    }
    assertThat((double) top / x.size()).isGreaterThan(0.3);
  }

  @Test
  void titlesReflectTheirTopics() {
    ItemCatalog c = DEFAULT.catalog();
    Set<String> titles = new HashSet<>();
    for (int i = 0; i < c.size(); i++) {
      assertThat(titles.add(c.title(i))).as("unique titles").isTrue();
      int[] cats = c.categoryIndices(i);
      assertThat(cats.length).isBetween(1, 2);
      var topic = org.fedrec.data.internal.ShopVocabulary.TOPICS.get(cats[0]);
      String title = c.title(i);
      assertThat(topic.nouns()).anyMatch(title::contains);
      if (cats.length == 2) {
        assertThat(c.title(i)).contains(" for " + c.categoryNames().get(cats[1]).toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(c.text(i)).startsWith(c.title(i) + ". " + c.categoryNames().get(cats[0]));
    }
    assertThat(c.categoryNames()).startsWith("Running", "Coffee", "Camping");
  }

  @Test
  void isDeterministicAndHashesItsConfig() {
    SyntheticShop.Config small = SyntheticShop.Config.defaults().withSize(100, 200);
    Dataset a = SyntheticShop.generate(small);
    Dataset b = SyntheticShop.generate(small);
    assertThat(a.interactions().itemsArray()).isEqualTo(b.interactions().itemsArray());
    assertThat(a.interactions().timestampsArray()).isEqualTo(b.interactions().timestampsArray());
    assertThat(a.catalog().title(7)).isEqualTo(b.catalog().title(7));
    assertThat(a.sha256()).isEqualTo(b.sha256()).hasSize(64);
    Dataset c = SyntheticShop.generate(small.withSeed(43));
    assertThat(c.sha256()).isNotEqualTo(a.sha256());
    assertThat(c.interactions().itemsArray()).isNotEqualTo(a.interactions().itemsArray());
  }

  @Test
  void configIsValidated() {
    assertThatThrownBy(() -> SyntheticShop.Config.defaults().withSize(10, 50))
        .hasMessage("SyntheticShop.Config.numItems: expected at least numTopics and 2 * maxInteractions, found 50");
    assertThatThrownBy(() -> new SyntheticShop.Config(10, 200, 30, 1, 2, 1, 1, 0, 0, 1))
        .hasMessage("SyntheticShop.Config.numTopics: expected in 1.." + SyntheticShop.MAX_TOPICS + ", found 30");
  }

  /**
   * Learnability without a model: on leave-one-out with 99 sampled negatives, a scorer that knows
   * only the user's training topic histogram (times item popularity, which a factorisation model
   * also learns) beats item popularity by a wide margin, while popularity alone is still far better
   * than chance (HR@10 = 0.10). Seeded: about 0.35 and 0.70.
   */
  @Test
  void topicHistoryBeatsPopularityWhichBeatsChance() {
    Dataset d = DEFAULT;
    Split split = new LeaveOneOutSplit(false).split(d);
    Interactions train = split.train();
    ItemCatalog catalog = d.catalog();
    int[] popularity = train.countsPerItem();
    double[][] topicHistogram = new double[train.numUsers()][catalog.numCategories()];
    for (int i = 0; i < train.size(); i++) {
      int[] cats = catalog.categoryIndices(train.item(i));
      topicHistogram[train.user(i)][cats[0]] += 1;
      if (cats.length > 1) {
        topicHistogram[train.user(i)][cats[1]] += 0.5;
      }
    }
    double popularityHr = hitRate(d, split, (u, item) -> popularity[item]);
    double oracleHr = hitRate(d, split, (u, item) -> {
      int[] cats = catalog.categoryIndices(item);
      double s = topicHistogram[u][cats[0]] + (cats.length > 1 ? 0.5 * topicHistogram[u][cats[1]] : 0);
      return (s + 0.1) * (popularity[item] + 1);
    });
    System.out.printf("synthetic shop HR@10: popularity %.3f, topic oracle %.3f%n", popularityHr, oracleHr);
    assertThat(popularityHr).isGreaterThan(0.25);
    assertThat(oracleHr).isGreaterThan(popularityHr + 0.25);
  }

  interface Scorer {
    double score(int user, int item);
  }

  /** HR@10 of the test item among 99 uniformly sampled items the user never interacted with; ties count against it. */
  private static double hitRate(Dataset d, Split split, Scorer scorer) {
    Interactions all = d.interactions();
    UserIndex byUser = all.byUser();
    SplittableRandom random = new SplittableRandom(7);
    int hits = 0;
    for (int k = 0; k < split.test().size(); k++) {
      int u = split.test().user(k);
      int positive = split.test().item(k);
      Set<Integer> seen = new HashSet<>();
      for (int item : byUser.itemsOf(u)) {
        seen.add(item);
      }
      double s = scorer.score(u, positive);
      int above = 0;
      Set<Integer> negatives = new HashSet<>();
      while (negatives.size() < 99) {
        int j = random.nextInt(all.numItems());
        if (!seen.contains(j) && negatives.add(j) && scorer.score(u, j) >= s) {
          above++;
        }
      }
      if (above < 10) {
        hits++;
      }
    }
    return (double) hits / split.test().size();
  }
}
