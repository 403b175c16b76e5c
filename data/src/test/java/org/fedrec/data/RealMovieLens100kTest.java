package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real MovieLens 100K, found through FEDREC_DATA (the directory holding {@code ml-100k/}).
 * Skipped when the variable is unset; the data may not be redistributed, so it is never copied.
 */
class RealMovieLens100kTest {
  private Path dir;

  @BeforeEach
  void locate() {
    Path root = TestFiles.realDataDir().orElse(null);
    assumeTrue(root != null, "FEDREC_DATA is not set: skipping the tests on the real ml-100k "
        + "(set it to the directory that holds ml-100k/, e.g. FEDREC_DATA=/work/shared/data)");
    dir = root.resolve("ml-100k");
    assumeTrue(Files.isRegularFile(dir.resolve("u.data")), "FEDREC_DATA=" + root + " holds no ml-100k/u.data: skipping");
  }

  @Test
  void readsTheWholeDataset() {
    Dataset d = DatasetReaders.read(dir);
    assertThat(d.format()).isEqualTo("ml-100k");
    assertThat(d.interactions().size()).isEqualTo(100_000);
    assertThat(d.interactions().numUsers()).isEqualTo(943);
    assertThat(d.interactions().numItems()).isEqualTo(1682);
    assertThat(d.duplicates().found()).isZero();
    assertThat(d.notes()).isEmpty();
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(dir.resolve("u.data"), dir.resolve("u.genre"), dir.resolve("u.item")));
    int toyStory = d.items().index("1");
    assertThat(d.catalog().text(toyStory)).isEqualTo("Toy Story (1995). Animation, Children's, Comedy");
    assertThat(d.catalog().numCategories()).isEqualTo(19);
  }

  @Test
  void leaveOneOutMatchesTheReferenceProtocolCounts() {
    Dataset d = DatasetReaders.read("ml-100k", dir, ReadOptions.defaults());
    Split s = new LeaveOneOutSplit(false).split(d);
    assertThat(s.test().size()).isEqualTo(943);
    assertThat(s.train().size()).isEqualTo(99_057);
    assertThat(s.test().countsPerUser()).containsOnly(1);
    Interactions all = d.interactions();
    // every test interaction is the user's latest; on a timestamp tie, the larger item id
    long[] latest = new long[all.numUsers()];
    int[] latestItem = new int[all.numUsers()];
    java.util.Arrays.fill(latest, Long.MIN_VALUE);
    for (int i = 0; i < all.size(); i++) {
      int u = all.user(i);
      long t = all.timestamp(i);
      int id = Integer.parseInt(d.items().originalId(all.item(i)));
      if (t > latest[u] || (t == latest[u] && id > latestItem[u])) {
        latest[u] = t;
        latestItem[u] = id;
      }
    }
    for (int i = 0; i < s.test().size(); i++) {
      assertThat(d.items().originalId(s.test().item(i))).isEqualTo(Integer.toString(latestItem[s.test().user(i)]));
    }
  }
}
