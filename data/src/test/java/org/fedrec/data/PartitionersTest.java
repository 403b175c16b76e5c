package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Behaviour of each partitioner on hand-made or generated data with known answers. */
class PartitionersTest {
  /** users 0..3; user 2 has no interaction; items 0,1 in category A, item 2 in B, item 3 none. */
  private static Interactions small() {
    return Interactions.of(4, 4, new int[] {0, 1, 0, 3, 1, 3, 3}, new int[] {0, 2, 1, 2, 2, 3, 0}, null, null);
  }

  private static ItemCatalog smallCatalog() {
    return ItemCatalog.of(new String[] {"a0", "a1", "b2", "x3"}, new int[][] {{0}, {0}, {1}, {}}, java.util.List.of("A", "B"));
  }

  @Test
  void perUserGivesOneClientPerUserWithData() {
    Partition p = new PerUserPartitioner().partition(small(), smallCatalog(), 0);
    assertThat(p.clients()).extracting(Partition.Client::id).containsExactly("u0", "u1", "u3");
    assertThat(p.client(0).interactionIndices()).containsExactly(0, 2);
    assertThat(p.client(2).interactionIndices()).containsExactly(3, 5, 6);
    assertThat(p.client(2).users()).containsExactly(3);
    assertThat(p.unassignedUsers()).containsExactly(2);
    assertThat(p.clientOf(2)).isEqualTo(-1);
  }

  @Test
  void groupKeyByDominantCategory() {
    // user 0: A, A -> A; user 1: B, B -> B; user 3: B, none, A -> tie A/B -> A (smaller index)
    Partition p = GroupKeyPartitioner.byDominantCategory().partition(small(), smallCatalog(), 0);
    assertThat(p.clients()).extracting(Partition.Client::id).containsExactly("A", "B");
    assertThat(p.client(0).users()).containsExactly(0, 3);
    assertThat(p.client(1).users()).containsExactly(1);
    Partition none = GroupKeyPartitioner.byDominantCategory().partition(small(), ItemCatalog.empty(4), 0);
    assertThat(none.clients()).extracting(Partition.Client::id).containsExactly(GroupKeyPartitioner.NO_CATEGORY);
  }

  @Test
  void groupKeyFromAnArray() {
    Partition p = GroupKeyPartitioner.of(new String[] {"north", "south", null, "north"}).partition(small(), smallCatalog(), 0);
    assertThat(p.clients()).extracting(Partition.Client::id).containsExactly("north", "south");
    assertThatThrownBy(() -> GroupKeyPartitioner.of(new String[] {"n", null, null, "n"}).partition(small(), smallCatalog(), 0))
        .hasMessage("user 1 has interactions but its group key is null");
  }

  @Test
  void siloPartitionersRefuseMoreSilosThanUsers() {
    assertThatThrownBy(() -> new IidSiloPartitioner(4).partition(small(), smallCatalog(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot split 3 users with interactions into 4 silos: every silo needs at least one user");
    assertThatThrownBy(() -> new DirichletSiloPartitioner(2, 0)).hasMessage("alpha must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> new SizeSkewSiloPartitioner(0, 1)).hasMessage("numSilos must be >= 1, got 0");
  }

  @Test
  void fromAssignmentRejectsEmptyClientsAndUnassignedUsers() {
    assertThatThrownBy(() -> Partition.fromAssignment(small(), new String[] {"a", "b"}, new int[] {0, 0, 0, 0}))
        .hasMessage("client 'b' would hold no interaction");
    assertThatThrownBy(() -> Partition.fromAssignment(small(), new String[] {"a"}, new int[] {0, -1, 0, 0}))
        .hasMessage("user 1 has 2 interactions: expected a client in [0, 1), found -1");
    assertThatThrownBy(() -> Partition.fromAssignment(small(), new String[] {"a", "a"}, new int[] {0, 1, 0, 0}))
        .hasMessage("client ids must be distinct and non-null, found 'a' twice");
  }

  private static Dataset shop() {
    return SyntheticShop.generate(SyntheticShop.Config.defaults().withSize(600, 400));
  }

  @Test
  void iidSilosHaveBalancedUserCounts() {
    Dataset d = shop();
    Partition p = new IidSiloPartitioner(7).partition(d.interactions(), d.catalog(), 3);
    int[] users = p.clients().stream().mapToInt(Partition.Client::numUsers).toArray();
    assertThat(Arrays.stream(users).max().getAsInt() - Arrays.stream(users).min().getAsInt()).isLessThanOrEqualTo(1);
    assertThat(p.clients()).extracting(Partition.Client::id).containsExactly("silo-0", "silo-1", "silo-2", "silo-3", "silo-4",
        "silo-5", "silo-6");
  }

  @Test
  void sizeSkewFollowsThePowerLaw() {
    Dataset d = shop();
    Partition p = new SizeSkewSiloPartitioner(4, 1.0).partition(d.interactions(), d.catalog(), 3);
    // one user each, then the other 596 in shares 1 : 1/2 : 1/3 : 1/4 (286.08, 143.04, 95.36, 71.52),
    // rounded by largest remainder: 1 + 286, 1 + 143, 1 + 95, 1 + 72
    assertThat(p.clients()).extracting(Partition.Client::numUsers).containsExactly(287, 144, 96, 73);
    Partition flat = new SizeSkewSiloPartitioner(4, 0.0).partition(d.interactions(), d.catalog(), 3);
    assertThat(flat.clients()).extracting(Partition.Client::numUsers).containsExactly(150, 150, 150, 150);
  }

  @Test
  void smallAlphaConcentratesCategoriesLargeAlphaSpreadsThem() {
    Dataset d = shop();
    double skewed = meanTopCategoryShare(new DirichletSiloPartitioner(5, 0.05).partition(d.interactions(), d.catalog(), 11), d);
    double spread = meanTopCategoryShare(new DirichletSiloPartitioner(5, 1000).partition(d.interactions(), d.catalog(), 11), d);
    // 20 topics: a near-IID silo's most common dominant category holds a small share of its users
    assertThat(spread).isLessThan(0.2);
    assertThat(skewed).isGreaterThan(spread + 0.15);
  }

  /** Per silo, the share of its users whose dominant category is the silo's most common one; averaged. */
  private static double meanTopCategoryShare(Partition p, Dataset d) {
    int[] dominant = org.fedrec.data.internal.UserGroups.dominantCategory(d.interactions(), d.catalog());
    double sum = 0;
    for (Partition.Client c : p.clients()) {
      int[] counts = new int[d.catalog().numCategories() + 1];
      for (int u : c.users()) {
        counts[dominant[u] + 1]++;
      }
      sum += (double) Arrays.stream(counts).max().getAsInt() / c.numUsers();
    }
    return sum / p.size();
  }
}
