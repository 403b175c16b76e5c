package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SampledCandidatesTest {
    private static final int USERS = 400;
    private static final int ITEMS = 500;

    /** Users with 0 .. 299 distinct interacted items each; every third user has no test item. */
    private static int[][] interacted() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] rows = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            rows[u] = r.ints(u % 300, 0, ITEMS).toArray(); // repeats allowed in the input
        }
        return rows;
    }

    private static int[] testItems(int[][] rows) {
        int[] test = new int[USERS];
        for (int u = 0; u < USERS; u++) {
            test[u] = u % 3 == 0 ? -1 : rows[u].length > 0 ? rows[u][0] : u % ITEMS;
        }
        return test;
    }

    @Test
    void negativesAreDistinctUnseenInRangeAndNeverTheTestItem() {
        int[][] rows = interacted();
        int[] test = testItems(rows);
        SampledCandidates c = SampledCandidates.build(ITEMS, rows, test, 99, 7);
        UserItems seen = UserItems.ofRows(rows);
        for (int u = 0; u < USERS; u++) {
            if (test[u] < 0) {
                assertThat(c.hasTestItem(u)).isFalse();
                assertThat(c.negativesOf(u)).isEmpty();
                continue;
            }
            int[] negs = c.negativesOf(u);
            assertThat(c.testItem(u)).isEqualTo(test[u]);
            assertThat(negs).hasSize(99).doesNotHaveDuplicates().isSorted().doesNotContain(test[u]);
            for (int item : negs) {
                assertThat(item).isBetween(0, ITEMS - 1);
                assertThat(seen.contains(u, item)).as("user %d item %d", u, item).isFalse();
            }
        }
        assertThat(c.testUsers()).hasSize(USERS - (USERS + 2) / 3);
    }

    @Test
    void testItemOutsideTheInteractionsIsExcludedToo() {
        // 6 items, user saw {0, 1}, test item 5 not listed among them: negatives are exactly 2, 3, 4.
        SampledCandidates c = SampledCandidates.build(6, new int[][] {{1, 0}}, new int[] {5}, 3, 1);
        assertThat(c.negativesOf(0)).containsExactly(2, 3, 4);
    }

    @Test
    void sameCandidatesOnEveryBuildAndForAnySubsetOfUsers() {
        int[][] rows = interacted();
        int[] test = testItems(rows);
        SampledCandidates a = SampledCandidates.build(ITEMS, rows, test, 99, 7);
        SampledCandidates b = SampledCandidates.build(ITEMS, rows, test, 99, 7);
        // A client holding only users 100..149: others have no test item and no interactions.
        int[][] clientRows = new int[USERS][0];
        int[] clientTest = new int[USERS];
        Arrays.fill(clientTest, -1);
        for (int u = 100; u < 150; u++) {
            clientRows[u] = rows[u];
            clientTest[u] = test[u];
        }
        SampledCandidates client = SampledCandidates.build(ITEMS, clientRows, clientTest, 99, 7);
        for (int u = 0; u < USERS; u++) {
            assertThat(b.negativesOf(u)).isEqualTo(a.negativesOf(u));
            if (u >= 100 && u < 150) {
                assertThat(client.negativesOf(u)).as("user %d", u).isEqualTo(a.negativesOf(u));
            }
        }
        SampledCandidates otherSeed = SampledCandidates.build(ITEMS, rows, test, 99, 8);
        assertThat(otherSeed.negativesOf(1)).isNotEqualTo(a.negativesOf(1));
    }

    @Test
    void everyUnseenItemIsAboutEquallyLikely() {
        // 20 items, items 0..4 seen, test item 5: 14 unseen items, 3 drawn per seed.
        int[] counts = new int[20];
        int seeds = 14_000;
        for (int seed = 0; seed < seeds; seed++) {
            SampledCandidates c = SampledCandidates.build(20, new int[][] {{0, 1, 2, 3, 4}}, new int[] {5}, 3, seed);
            for (int item : c.negativesOf(0)) {
                counts[item]++;
            }
        }
        for (int item = 0; item < 6; item++) {
            assertThat(counts[item]).isZero();
        }
        for (int item = 6; item < 20; item++) {
            // expected 3000, standard deviation about 49
            assertThat(counts[item]).as("item %d", item).isBetween(2750, 3250);
        }
    }

    @Test
    void takesEveryUnseenItemWhenThereAreExactlyEnough() {
        SampledCandidates c = SampledCandidates.build(5, new int[][] {{3}}, new int[] {1}, 3, 9);
        assertThat(c.negativesOf(0)).containsExactly(0, 2, 4);
    }

    @Test
    void errorsNameWhatWasExpectedAndFound() {
        assertThatThrownBy(() -> SampledCandidates.build(10, new int[][] {{}, {0, 1, 2, 3, 4, 5, 6}},
                new int[] {-1, 9}, 3, 1))
                .hasMessage("user 1: expected at least 3 items never interacted with to sample negatives from,"
                        + " found 2 of 10");
        assertThatThrownBy(() -> SampledCandidates.build(10, new int[][] {{12}}, new int[] {0}, 3, 1))
                .hasMessage("interacted items: expected item indices in [0, 10), found 12 for user 0");
        assertThatThrownBy(() -> SampledCandidates.build(10, new int[][] {{}}, new int[] {10}, 3, 1))
                .hasMessage("testItemPerUser[0]: expected an item index in [0, 10) or -1 (none), found 10");
        assertThatThrownBy(() -> SampledCandidates.build(10, new int[][] {{}}, new int[] {1, 2}, 3, 1))
                .hasMessage("interacted items (one row per entry of testItemPerUser): expected 2 users, found 1");
        assertThatThrownBy(() -> SampledCandidates.build(10, new int[][] {{}}, new int[] {1}, 0, 1))
                .hasMessage("expected negatives >= 1, found 0");
    }
}
