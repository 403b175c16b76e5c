package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class FullRankingEvaluatorTest {
    private static final double EPS = 1e-12;
    /** Item 1 (a training item) scores highest; without it the order is 2, 4, 3, 5, 0. */
    private static final TableScorer SCORES = TableScorer.sameForAll(1, 0.1f, 0.9f, 0.8f, 0.3f, 0.7f, 0.2f);
    private static final UserItems TRAIN = UserItems.ofRows(new int[][] {{1}});
    private static final UserItems TEST = UserItems.ofRows(new int[][] {{4, 0}});

    private static double d(int position) {
        return Math.log(2) / Math.log(position + 2);
    }

    @Test
    void recallNdcgAndHitRateWithTwoTestItems() {
        MetricSums s = FullRankingEvaluator.builder(6, TEST).exclude(TRAIN).cutoffs(1, 2, 5).build()
                .evaluate(SCORES, 1);
        assertThat(s.names()).containsExactly("Recall@1", "NDCG@1", "HitRate@1", "Recall@2", "NDCG@2",
                "HitRate@2", "Recall@5", "NDCG@5", "HitRate@5");
        assertThat(s.sums()).containsExactly(new double[] {
            0, 0, 0,
            0.5, d(1) / (d(0) + d(1)), 1,
            1, (d(1) + d(4)) / (d(0) + d(1)), 1}, within(EPS));
    }

    @Test
    void idealDcgSumsOverAtMostKPositions() {
        // Three test items, K = 2: the ideal is two hits at positions 0 and 1, reached here.
        UserItems test = UserItems.ofRows(new int[][] {{2, 4, 0}});
        MetricSums s = FullRankingEvaluator.builder(6, test).exclude(TRAIN).cutoffs(2).build().evaluate(SCORES, 1);
        assertThat(s.mean("NDCG@2")).isCloseTo(1.0, within(EPS));
        assertThat(s.mean("Recall@2")).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void excludedItemsNeverEnterTheTopK() {
        // Without exclusions, item 1 would take the only slot.
        UserItems test = UserItems.ofRows(new int[][] {{2}});
        FullRankingEvaluator plain = FullRankingEvaluator.builder(6, test).cutoffs(1).build();
        assertThat(plain.evaluate(SCORES, 1).mean("HitRate@1")).isZero();
        FullRankingEvaluator excluding = FullRankingEvaluator.builder(6, test).exclude(TRAIN).cutoffs(1).build();
        assertThat(excluding.evaluate(SCORES, 1).mean("HitRate@1")).isEqualTo(1.0);
        // A further exclusion set (validation items when scoring test) adds up with the training items.
        UserItems validation = UserItems.ofRows(new int[][] {{2}});
        FullRankingEvaluator both = FullRankingEvaluator.builder(6, TEST).exclude(TRAIN).exclude(validation)
                .cutoffs(1).build();
        MetricSums s = both.evaluate(SCORES, 1); // order 4, 3, 5, 0
        assertThat(s.mean("Recall@1")).isEqualTo(0.5);
        assertThat(s.mean("NDCG@1")).isCloseTo(1.0, within(EPS));
    }

    @Test
    void fewerCandidatesThanKAreAllRankedAndExcludedOnesStayOut() {
        UserItems train = UserItems.ofRows(new int[][] {{0, 1}});
        UserItems test = UserItems.ofRows(new int[][] {{2}});
        Scorer excludedHigh = TableScorer.sameForAll(1, 9f, 8f, 1f);
        MetricSums s = FullRankingEvaluator.builder(3, test).exclude(train).build().evaluate(excludedHigh, 1);
        assertThat(s.means()).containsEntry("Recall@20", 1.0).containsEntry("HitRate@20", 1.0);
        assertThat(s.mean("NDCG@20")).isCloseTo(1.0, within(EPS));
    }

    @Test
    void equalScoresRankTheLowerItemIndexFirst() {
        Scorer constant = (u, items, n, out) -> java.util.Arrays.fill(out, 0, n, 0.5f);
        FullRankingEvaluator lowTest = FullRankingEvaluator.builder(6, UserItems.ofRows(new int[][] {{0}}))
                .exclude(TRAIN).cutoffs(1).build();
        assertThat(lowTest.evaluate(constant, 1).mean("HitRate@1")).isEqualTo(1.0);
        // Order 0, 2, 3, 4, 5: item 5 is at position 4.
        FullRankingEvaluator highTest = FullRankingEvaluator.builder(6, UserItems.ofRows(new int[][] {{5}}))
                .exclude(TRAIN).cutoffs(4, 5).build();
        MetricSums s = highTest.evaluate(constant, 1);
        assertThat(s.mean("HitRate@4")).isZero();
        assertThat(s.mean("NDCG@5")).isCloseTo(d(4), within(EPS));
    }

    @Test
    void anExcludedTestItemStillCountsInTheDenominator() {
        UserItems test = UserItems.ofRows(new int[][] {{1, 2}}); // item 1 is also a training item
        MetricSums s = FullRankingEvaluator.builder(6, test).exclude(TRAIN).cutoffs(5).build().evaluate(SCORES, 1);
        assertThat(s.mean("Recall@5")).isEqualTo(0.5);
        assertThat(s.mean("NDCG@5")).isCloseTo(d(0) / (d(0) + d(1)), within(EPS));
    }

    @Test
    void skipsUsersWithoutTestItemsAndIsIndependentOfThreads() {
        int users = 700;
        int items = 120;
        int[][] train = new int[users][];
        int[][] test = new int[users][];
        for (int u = 0; u < users; u++) {
            train[u] = new int[] {u % items, (u * 3 + 1) % items};
            test[u] = u % 5 == 0 ? new int[0] : new int[] {(u * 7 + 2) % items, (u * 11 + 3) % items};
        }
        FullRankingEvaluator e = FullRankingEvaluator.builder(items, UserItems.ofRows(test))
                .exclude(UserItems.ofRows(train)).cutoffs(10, 20).build();
        Scorer scorer = new RandomScorer(3);
        MetricSums one = e.evaluate(scorer, 1);
        assertThat(one.count()).isEqualTo(users - users / 5);
        assertThat(e.evaluate(scorer, 4)).isEqualTo(one);
        assertThat(e.evaluate(scorer, IntStream.range(0, users).toArray(), 3)).isEqualTo(one);
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThatThrownBy(() -> FullRankingEvaluator.builder(6, TEST).exclude(UserItems.ofRows(new int[2][0])))
                .hasMessage("excluded items (as many users as the test items): expected 1 users, found 2");
        assertThatThrownBy(() -> FullRankingEvaluator.builder(4, TEST))
                .hasMessage("test items: expected item indices in [0, 4), found 4 for user 0");
        assertThatThrownBy(() -> FullRankingEvaluator.builder(6, TEST).build()
                .evaluate(TableScorer.sameForAll(1, 0, 0, Float.NaN, 0, 0, 0), 1))
                .hasMessageContaining("NaN for user 0, item 2");
    }
}
