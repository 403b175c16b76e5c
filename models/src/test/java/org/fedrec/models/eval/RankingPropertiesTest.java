package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariants over random data, and agreement with naive reference computations (boxed, full sorts). */
class RankingPropertiesTest {
    private static final int[] CUTOFFS = {1, 2, 3, 5, 8, 10, 20, 40};

    /** Scores from few distinct values, so ties are frequent. */
    private static TableScorer coarseScores(SplittableRandom r, int users, int items) {
        float[][] s = new float[users][items];
        for (float[] row : s) {
            for (int i = 0; i < items; i++) {
                row[i] = r.nextInt(6) / 2f;
            }
        }
        return new TableScorer(s);
    }

    private static int[][] randomRows(SplittableRandom r, int users, int items, int maxPerUser) {
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = r.ints(r.nextInt(maxPerUser + 1), 0, items).toArray();
        }
        return rows;
    }

    @Property(tries = 200)
    void sampledHitRatioGrowsWithKAndBoundsNdcg(@ForAll long seed, @ForAll @IntRange(min = 30, max = 80) int items,
            @ForAll @IntRange(min = 1, max = 25) int negatives) {
        SplittableRandom r = new SplittableRandom(seed);
        int users = 20;
        int[][] seen = randomRows(r, users, items, 5);
        int[] test = new int[users];
        for (int u = 0; u < users; u++) {
            test[u] = r.nextInt(4) == 0 ? -1 : r.nextInt(items);
        }
        TableScorer scorer = coarseScores(r, users, items);
        // At most 5 interacted items and the test item: at least items - 6 are left to sample from.
        SampledCandidates c = SampledCandidates.build(items, seen, test, Math.min(negatives, items - 6), seed);
        MetricSums s = SampledRankingEvaluator.of(c, CUTOFFS).evaluate(scorer, 1);
        double previousHr = 0;
        for (int k : CUTOFFS) {
            double hr = s.sum("HR@" + k);
            double ndcg = s.sum("NDCG@" + k);
            assertThat(hr).isGreaterThanOrEqualTo(previousHr);
            assertThat(ndcg).isBetween(0.0, hr + 1e-12);
            previousHr = hr;
        }
        // Reference: rank = negatives scored >= the test item.
        double hr10 = 0;
        double ndcg10 = 0;
        for (int u : c.testUsers()) {
            float t = scorer.scores()[u][c.testItem(u)];
            long rank = IntStream.of(c.negativesOf(u)).filter(j -> scorer.scores()[u][j] >= t).count();
            if (rank < 10) {
                hr10++;
                ndcg10 += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
        assertThat(s.count()).isEqualTo(c.testUsers().length);
        assertThat(s.sum("HR@10")).isEqualTo(hr10);
        assertThat(s.sum("NDCG@10")).isCloseTo(ndcg10, within(1e-9));
    }

    @Property(tries = 200)
    void fullRankingAgreesWithAFullSort(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int items) {
        SplittableRandom r = new SplittableRandom(seed);
        int users = 15;
        UserItems train = UserItems.ofRows(randomRows(r, users, items, 12));
        UserItems validation = UserItems.ofRows(randomRows(r, users, items, 3));
        UserItems test = UserItems.ofRows(randomRows(r, users, items, 6));
        TableScorer scorer = coarseScores(r, users, items);
        MetricSums s = FullRankingEvaluator.builder(items, test).exclude(train).exclude(validation)
                .cutoffs(CUTOFFS).build().evaluate(scorer, 2);
        double[] expected = new double[3 * CUTOFFS.length];
        long evaluated = 0;
        for (int u = 0; u < users; u++) {
            int user = u;
            if (test.count(u) == 0) {
                continue;
            }
            evaluated++;
            List<Integer> ranking = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                if (!train.contains(u, i) && !validation.contains(u, i)) {
                    ranking.add(i);
                }
            }
            ranking.sort(Comparator.<Integer>comparingDouble(i -> -scorer.scores()[user][i])
                    .thenComparingInt(i -> i));
            for (int c = 0; c < CUTOFFS.length; c++) {
                int k = CUTOFFS[c];
                double hits = 0;
                double dcg = 0;
                double idcg = 0;
                for (int p = 0; p < Math.min(k, ranking.size()); p++) {
                    if (test.contains(u, ranking.get(p))) {
                        hits++;
                        dcg += 1 / log2(p + 2);
                    }
                }
                for (int p = 0; p < Math.min(k, test.count(u)); p++) {
                    idcg += 1 / log2(p + 2);
                }
                expected[3 * c] += hits / test.count(u);
                expected[3 * c + 1] += dcg / idcg;
                expected[3 * c + 2] += hits > 0 ? 1 : 0;
            }
        }
        assertThat(s.count()).isEqualTo(evaluated);
        assertThat(s.sums()).containsExactly(expected, within(1e-9));
        for (int c = 0; c < CUTOFFS.length; c++) {
            int k = CUTOFFS[c];
            assertThat(s.sum("Recall@" + k)).isLessThanOrEqualTo(s.sum("HitRate@" + k) + 1e-12);
            assertThat(s.sum("NDCG@" + k)).isLessThanOrEqualTo(s.sum("HitRate@" + k) + 1e-12);
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
