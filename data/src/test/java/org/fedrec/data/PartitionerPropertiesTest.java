package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants every partitioner must keep, over random interactions and catalogues. */
class PartitionerPropertiesTest {
  /** Random interactions (duplicates and users without interactions included) with a random catalogue. */
  record Case(Interactions train, ItemCatalog items) {
    @Override
    public String toString() {
      return train + " " + items;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> users = Arbitraries.integers().between(1, 40);
    Arbitrary<Integer> items = Arbitraries.integers().between(1, 25);
    Arbitrary<Integer> categories = Arbitraries.integers().between(0, 6);
    Arbitrary<Long> seeds = Arbitraries.longs();
    Arbitrary<Integer> sizes = Arbitraries.integers().between(0, 300);
    return Combinators.combine(users, items, categories, sizes, seeds).as(PartitionerPropertiesTest::generate);
  }

  static Case generate(int numUsers, int numItems, int numCategories, int size, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int[] u = new int[size];
    int[] it = new int[size];
    for (int i = 0; i < size; i++) {
      u[i] = r.nextInt(numUsers);
      it[i] = r.nextInt(numItems);
    }
    String[] titles = new String[numItems];
    int[][] cats = new int[numItems][];
    List<String> names = new ArrayList<>();
    for (int c = 0; c < numCategories; c++) {
      names.add("c" + c);
    }
    for (int i = 0; i < numItems; i++) {
      titles[i] = "item " + i;
      // some items have no category
      cats[i] = numCategories == 0 || r.nextInt(5) == 0 ? new int[0] : new int[] {r.nextInt(numCategories)};
    }
    return new Case(Interactions.of(numUsers, numItems, u, it, null, null), ItemCatalog.of(titles, cats, names));
  }

  @Provide
  Arbitrary<Partitioner> partitioners() {
    Arbitrary<Integer> silos = Arbitraries.integers().between(1, 8);
    return Arbitraries.oneOf(
        Arbitraries.just(new PerUserPartitioner()),
        silos.map(IidSiloPartitioner::new),
        Combinators.combine(silos, Arbitraries.of(0.01, 0.1, 1.0, 100.0)).as(DirichletSiloPartitioner::new),
        Combinators.combine(silos, Arbitraries.of(0.0, 0.5, 1.0, 3.0)).as(SizeSkewSiloPartitioner::new),
        Arbitraries.just(GroupKeyPartitioner.byDominantCategory()),
        Arbitraries.just(new Partitioner() {
          @Override
          public Partition partition(Interactions train, ItemCatalog items, long seed) {
            String[] keys = new String[train.numUsers()];
            for (int u = 0; u < keys.length; u++) {
              keys[u] = "g" + (u % 3);
            }
            return GroupKeyPartitioner.of(keys).partition(train, items, seed);
          }

          @Override
          public String toString() {
            return "GroupKeyPartitioner.of(u % 3)";
          }
        }));
  }

  @Property(tries = 400)
  void losesNoInteractionAndKeepsUsersWhole(@ForAll("cases") Case c, @ForAll("partitioners") Partitioner p, @ForAll long seed) {
    Interactions train = c.train();
    int[] perUser = train.countsPerUser();
    int activeUsers = (int) java.util.Arrays.stream(perUser).filter(n -> n > 0).count();
    Partition partition;
    try {
      partition = p.partition(train, c.items(), seed);
    } catch (IllegalArgumentException e) {
      // the only refusal allowed: more silos than users with interactions
      assertThat(e.getMessage()).contains("every silo needs at least one user");
      Assume.that(false);
      return;
    }
    int[] timesSeen = new int[train.size()];
    int[] clientOfUser = new int[train.numUsers()];
    java.util.Arrays.fill(clientOfUser, -1);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int k = 0; k < partition.size(); k++) {
      Partition.Client client = partition.client(k);
      assertThat(ids.add(client.id())).as("distinct client ids").isTrue();
      assertThat(client.size()).as("no empty client").isPositive();
      java.util.Set<Integer> usersOfInteractions = new java.util.TreeSet<>();
      for (int i : client.interactionIndices()) {
        timesSeen[i]++;
        int u = train.user(i);
        usersOfInteractions.add(u);
        assertThat(clientOfUser[u] == -1 || clientOfUser[u] == k).as("user %d spans clients", u).isTrue();
        clientOfUser[u] = k;
      }
      assertThat(client.users()).containsExactly(usersOfInteractions.stream().mapToInt(Integer::intValue).toArray());
      assertThat(client.data(train).size()).isEqualTo(client.size());
    }
    assertThat(java.util.Arrays.stream(timesSeen).allMatch(n -> n == 1)).as("each interaction in exactly one client: %s",
        java.util.Arrays.toString(timesSeen)).isTrue();
    for (int u = 0; u < train.numUsers(); u++) {
      assertThat(partition.clientOf(u)).isEqualTo(clientOfUser[u]);
    }
    assertThat(partition.unassignedUsers().length).isEqualTo(train.numUsers() - activeUsers);
    assertThat(partition.numInteractions()).isEqualTo(train.size());
  }

  @Property(tries = 100)
  void sameSeedSamePartition(@ForAll("cases") Case c, @ForAll("partitioners") Partitioner p, @ForAll long seed) {
    Partition a;
    try {
      a = p.partition(c.train(), c.items(), seed);
    } catch (IllegalArgumentException e) {
      Assume.that(false);
      return;
    }
    Partition b = p.partition(c.train(), c.items(), seed);
    assertThat(b.size()).isEqualTo(a.size());
    for (int k = 0; k < a.size(); k++) {
      assertThat(b.client(k).id()).isEqualTo(a.client(k).id());
      assertThat(b.client(k).interactionIndices()).isEqualTo(a.client(k).interactionIndices());
    }
  }

  @Property(tries = 200)
  void siloPartitionersGiveExactlyKClients(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 8) int k, @ForAll long seed) {
    int active = (int) java.util.Arrays.stream(c.train().countsPerUser()).filter(n -> n > 0).count();
    Assume.that(active >= k);
    for (Partitioner p : List.of(new IidSiloPartitioner(k), new DirichletSiloPartitioner(k, 0.05),
        new SizeSkewSiloPartitioner(k, 2.0))) {
      assertThat(p.partition(c.train(), c.items(), seed).size()).as(p.toString()).isEqualTo(k);
    }
  }
}
