package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Full ranking restricted to candidate items (cold-start), on hand-made rankings. */
class CandidateRankingTest {
    private static final double EPS = 1e-12;
    /** Descending order over all items: 1, 2, 4, 3, 5, 0. */
    private static final TableScorer SCORES = TableScorer.sameForAll(2, 0.1f, 0.9f, 0.8f, 0.3f, 0.7f, 0.2f);

    private static double d(int position) {
        return Math.log(2) / Math.log(position + 2);
    }

    @Test
    void ranksOnlyTheCandidates() {
        // Candidates {0, 3, 5}: order 3, 5, 0. User 0's test item 0 is at position 2, user 1's item 5 at 1.
        UserItems test = UserItems.ofRows(new int[][] {{0}, {5}});
        MetricSums s = FullRankingEvaluator.builder(6, test).candidates(5, 0, 3, 3).cutoffs(1, 2, 3).build()
                .evaluate(SCORES, 1);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.sums()).containsExactly(new double[] {
            0, 0, 0,
            1, d(1), 1,
            2, d(2) + d(1), 2}, within(EPS));
        // Over every item the same users find nothing in the top 3 (1, 2, 4).
        MetricSums all = FullRankingEvaluator.builder(6, test).cutoffs(3).build().evaluate(SCORES, 1);
        assertThat(all.sum("Recall@3")).isZero();
    }

    @Test
    void exclusionsStillApplyAndOutsideTestItemsCountInRecall() {
        // User 0: test {3, 4}, 4 is not a candidate; 3 is excluded for user 1 only.
        UserItems test = UserItems.ofRows(new int[][] {{3, 4}, {0}});
        UserItems excluded = UserItems.ofRows(new int[][] {{}, {3}});
        MetricSums s = FullRankingEvaluator.builder(6, test).exclude(excluded).candidates(0, 3, 5).cutoffs(1).build()
                .evaluate(SCORES, 1);
        // user 0: top-1 is 3, a hit of |T| = 2; user 1: order 5, 0 -> miss.
        assertThat(s.sum("Recall@1")).isCloseTo(0.5, within(EPS));
        assertThat(s.sum("NDCG@1")).isCloseTo(1.0, within(EPS));
        assertThat(s.sum("HitRate@1")).isEqualTo(1.0);
    }

    @Test
    void scoresOnlyCandidatesAndRejectsBadOnes() {
        Scorer strict = (user, items, count, out) -> {
            for (int i = 0; i < count; i++) {
                assertThat(items[i]).isIn(2, 4);
                out[i] = items[i] == 4 ? Float.NaN : 1;
            }
        };
        FullRankingEvaluator e = FullRankingEvaluator.builder(6, UserItems.ofRows(new int[][] {{2}})).candidates(4, 2).build();
        assertThatThrownBy(() -> e.evaluate(strict, 1)).hasMessage("scorer returned NaN for user 0, item 4; expected a number");
        FullRankingEvaluator.Builder b = FullRankingEvaluator.builder(6, UserItems.ofRows(new int[][] {{2}}));
        assertThatThrownBy(() -> b.candidates(1, 6)).hasMessage("candidates: expected item indices in [0, 6), found 6");
        assertThatThrownBy(() -> b.candidates()).hasMessage("expected at least one candidate item, found none");
    }
}
