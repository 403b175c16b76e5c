package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BaselinesTest {
    @Test
    void popularityScoresAreTrainingCounts() {
        PopularityScorer p = PopularityScorer.fromItems(4, new int[] {2, 0, 2, 2});
        float[] out = new float[4];
        p.scoreAll(17, 4, out);
        assertThat(out).containsExactly(1, 0, 3, 0);
        p.score(3, new int[] {2, 1}, 2, out);
        assertThat(out[0]).isEqualTo(3);
        assertThat(out[1]).isZero();
        assertThatThrownBy(() -> PopularityScorer.fromItems(4, new int[] {4}))
                .hasMessage("items[0]: expected an item index in [0, 4), found 4");
    }

    @Test
    void randomScoresAreAFunctionOfSeedUserAndItem() {
        RandomScorer r = new RandomScorer(5);
        float[] all = new float[50];
        r.scoreAll(3, 50, all);
        float[] some = new float[2];
        r.score(3, new int[] {42, 7}, 2, some);
        assertThat(some).containsExactly(all[42], all[7]);
        float[] again = new float[50];
        r.scoreAll(3, 50, again);
        assertThat(again).isEqualTo(all);
        new RandomScorer(6).scoreAll(3, 50, again);
        assertThat(again).isNotEqualTo(all);
        for (float v : all) {
            assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(1f);
        }
    }

    @Test
    void popularityBeatsRandomOnSkewedData() {
        int users = 300;
        int items = 200;
        SplittableRandom rng = new SplittableRandom(1);
        int[][] train = new int[users][];
        int[] test = new int[users];
        int[][] interacted = new int[users][];
        for (int u = 0; u < users; u++) {
            // Zipf-like: item floor(items * x^3) for uniform x puts most mass on low indices.
            train[u] = rng.doubles(10).mapToInt(x -> (int) (items * x * x * x)).toArray();
            int t;
            do {
                double x = rng.nextDouble();
                t = (int) (items * x * x * x);
            } while (contains(train[u], t));
            test[u] = t;
            interacted[u] = Arrays.copyOf(train[u], 11);
            interacted[u][10] = t;
        }
        int[] trainItems = Arrays.stream(train).flatMapToInt(Arrays::stream).toArray();
        SampledRankingEvaluator loo = SampledRankingEvaluator.of(
                SampledCandidates.build(items, interacted, test, 99, 2), 10);
        PopularityScorer pop = PopularityScorer.fromItems(items, trainItems);
        double popHr = loo.evaluate(pop, 2).mean("HR@10");
        double randomHr = loo.evaluate(new RandomScorer(2), 2).mean("HR@10");
        assertThat(randomHr).isCloseTo(0.1, within(0.06));
        assertThat(popHr).isGreaterThan(randomHr + 0.15).isGreaterThan(2 * randomHr); // 0.31 vs 0.11

        FullRankingEvaluator full = FullRankingEvaluator.builder(items, UserItems.ofRows(
                Arrays.stream(test).mapToObj(t -> new int[] {t}).toArray(int[][]::new)))
                .exclude(UserItems.ofRows(train)).cutoffs(20).build();
        double popRecall = full.evaluate(pop, 2).mean("Recall@20");
        double randomRecall = full.evaluate(new RandomScorer(2), 2).mean("Recall@20");
        assertThat(randomRecall).isCloseTo(20.0 / 190, within(0.05)); // about 190 items left after exclusion
        assertThat(popRecall).isGreaterThan(randomRecall + 0.15).isGreaterThan(2 * randomRecall); // 0.33 vs 0.10
    }

    private static boolean contains(int[] a, int v) {
        return Arrays.stream(a).anyMatch(x -> x == v);
    }
}
