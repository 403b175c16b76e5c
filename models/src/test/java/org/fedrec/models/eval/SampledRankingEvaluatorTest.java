package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SampledRankingEvaluatorTest {
    private static final double EPS = 1e-12;

    /** One user, five items, test item 2, so the four negatives are exactly items 0, 1, 3, 4. */
    private static SampledRankingEvaluator oneUser(int... cutoffs) {
        SampledCandidates c = SampledCandidates.build(5, new int[][] {{}}, new int[] {2}, 4, 7);
        assertThat(c.negativesOf(0)).containsExactly(0, 1, 3, 4);
        return SampledRankingEvaluator.of(c, cutoffs);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void testItemRankedFirstIsAHitWithFullGain() {
        Map<String, Double> m = oneUser(1, 10)
                .evaluate(TableScorer.sameForAll(1, 0.1f, 0.2f, 0.9f, 0.3f, 0.4f), 1).means();
        assertThat(m).containsExactly(Map.entry("HR@1", 1.0), Map.entry("NDCG@1", 1.0), Map.entry("HR@10", 1.0),
                Map.entry("NDCG@10", 1.0));
    }

    @Test
    void testItemAtRankThreeHitsOnlyFromCutoffFour() {
        // Items 1, 3, 4 score above the test item 2: rank r = 3.
        MetricSums s = oneUser(3, 4, 10).evaluate(TableScorer.sameForAll(1, 0.1f, 0.6f, 0.5f, 0.7f, 0.8f), 1);
        assertThat(s.mean("HR@3")).isZero();
        assertThat(s.mean("NDCG@3")).isZero();
        assertThat(s.mean("HR@4")).isEqualTo(1.0);
        assertThat(s.mean("NDCG@4")).isCloseTo(1 / log2(5), within(EPS));
        assertThat(s.mean("NDCG@10")).isCloseTo(1 / log2(5), within(EPS));
    }

    @Test
    void tiesCountAgainstTheModel() {
        // Item 0 is above, item 1 ties with the test item: rank 2, not 1.
        MetricSums s = oneUser(2, 3).evaluate(TableScorer.sameForAll(1, 0.9f, 0.5f, 0.5f, 0.1f, 0.1f), 1);
        assertThat(s.mean("HR@2")).isZero();
        assertThat(s.mean("HR@3")).isEqualTo(1.0);
        assertThat(s.mean("NDCG@3")).isCloseTo(0.5, within(EPS));
    }

    @Test
    void constantScorerGetsNoHitsWithinTheNegatives() {
        MetricSums s = oneUser(4, 5).evaluate((u, items, n, out) -> java.util.Arrays.fill(out, 0, n, 1f), 1);
        assertThat(s.mean("HR@4")).isZero();
        assertThat(s.mean("HR@5")).isEqualTo(1.0); // every candidate is in the top 5 of 5
        assertThat(SampledRankingEvaluator.rank(new float[] {3, 3, 3, 3}, 4)).isEqualTo(3);
        assertThat(SampledRankingEvaluator.rank(new float[] {3, 2, 4, 3}, 4)).isEqualTo(2);
    }

    @Test
    void meansAreOverEvaluatedUsersAndUsersWithoutTestItemsAreSkipped() {
        // Users 0 and 2 have test items 0 and 2; user 1 has none. 3 items, 2 negatives each.
        SampledCandidates c = SampledCandidates.build(3, new int[3][0], new int[] {0, -1, 2}, 2, 1);
        float[][] table = {{1, 0, 0}, {0, 0, 0}, {1, 1, 0}}; // user 0: rank 0; user 2: rank 2
        MetricSums s = SampledRankingEvaluator.of(c, 1).evaluate(new TableScorer(table), new int[] {0, 1, 2}, 1);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.sum("HR@1")).isEqualTo(1.0);
        assertThat(s.means()).containsEntry("HR@1", 0.5).containsEntry("NDCG@1", 0.5);
        assertThat(SampledRankingEvaluator.of(c, 1).evaluate(new TableScorer(table), 1)).isEqualTo(s);
    }

    @Test
    void defaultsToHitRatioAndNdcgAtTen() {
        SampledRankingEvaluator e = oneUser();
        assertThat(e.metricNames()).containsExactly("HR@10", "NDCG@10");
        assertThat(oneUser(20, 5).metricNames()).containsExactly("HR@5", "NDCG@5", "HR@20", "NDCG@20");
    }

    @Test
    void rejectsBadCutoffsUsersParallelismAndNaNScores() {
        assertThatThrownBy(() -> oneUser(0)).hasMessageContaining("K >= 1, found 0");
        assertThatThrownBy(() -> oneUser(5, 5)).hasMessageContaining("distinct cutoffs, found 5 twice");
        SampledRankingEvaluator e = oneUser();
        Scorer constant = (u, items, n, out) -> java.util.Arrays.fill(out, 0, n, 1f);
        assertThatThrownBy(() -> e.evaluate(constant, new int[] {1}, 1))
                .hasMessageContaining("users[0]: expected a user index in [0, 1), found 1");
        assertThatThrownBy(() -> e.evaluate(constant, -1)).hasMessageContaining("parallelism >= 0");
        Scorer nan = TableScorer.sameForAll(1, 0, 0, 0, Float.NaN, 0);
        assertThatThrownBy(() -> e.evaluate(nan, 1)).hasMessage(
                "scorer returned NaN for user 0, item 3; expected a number");
    }

    @Test
    void scorerFailureOnAWorkerThreadReachesTheCaller() {
        int users = 500;
        SampledCandidates c = SampledCandidates.build(200, new int[users][0], new int[users], 99, 3);
        Scorer failing = (u, items, n, out) -> {
            if (u == 321) {
                throw new IllegalStateException("model broken at user " + u);
            }
        };
        assertThatThrownBy(() -> SampledRankingEvaluator.of(c).evaluate(failing, 4))
                .isInstanceOf(IllegalStateException.class).hasMessage("model broken at user 321");
    }

    @Test
    void sameResultForOneAndFourThreads() {
        int users = 1000;
        int items = 300;
        int[] test = new int[users];
        int[][] seen = new int[users][];
        for (int u = 0; u < users; u++) {
            test[u] = (u * 7) % items;
            seen[u] = new int[] {test[u], (u * 13 + 1) % items, (u * 17 + 2) % items};
        }
        SampledCandidates c = SampledCandidates.build(items, seen, test, 99, 42);
        SampledRankingEvaluator e = SampledRankingEvaluator.of(c, 1, 5, 10, 20);
        Scorer scorer = new RandomScorer(9);
        MetricSums one = e.evaluate(scorer, 1);
        assertThat(e.evaluate(scorer, 4)).isEqualTo(one);
        assertThat(e.evaluate(scorer, 0)).isEqualTo(one);
        assertThat(one.count()).isEqualTo(users);
        assertThat(one.names()).isEqualTo(List.of("HR@1", "NDCG@1", "HR@5", "NDCG@5", "HR@10", "NDCG@10",
                "HR@20", "NDCG@20"));
    }

    @Test
    void clientSumsMergeToTheCentralResult() {
        int users = 300;
        int items = 150;
        int[] test = new int[users];
        for (int u = 0; u < users; u++) {
            test[u] = (u * 11) % items;
        }
        SampledCandidates c = SampledCandidates.build(items, new int[users][0], test, 50, 5);
        SampledRankingEvaluator e = SampledRankingEvaluator.of(c, 10);
        Scorer scorer = new RandomScorer(1);
        int[] first = java.util.stream.IntStream.range(0, 120).toArray();
        int[] second = java.util.stream.IntStream.range(120, users).toArray();
        MetricSums merged = e.evaluate(scorer, first, 1).merge(e.evaluate(scorer, second, 2));
        MetricSums central = e.evaluate(scorer, 1);
        assertThat(merged.count()).isEqualTo(central.count());
        assertThat(merged.mean("HR@10")).isCloseTo(central.mean("HR@10"), within(1e-12));
        assertThat(merged.mean("NDCG@10")).isCloseTo(central.mean("NDCG@10"), within(1e-12));
    }
}
