package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ItemPriorScorerTest {
    private static int[] order(Scorer s, int user, int numItems) {
        float[] out = new float[numItems];
        s.scoreAll(user, numItems, out);
        return java.util.stream.IntStream.range(0, numItems).boxed()
                .sorted((a, b) -> Float.compare(out[b], out[a])).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void keepsDistinctPriorsInOrderAndShufflesTies() {
        // items 0..2 distinct, items 3..12 tied at 0
        double[] prior = new double[13];
        prior[0] = 5;
        prior[1] = 1e6;
        prior[2] = 5.5;
        ItemPriorScorer s = ItemPriorScorer.of(prior, 7);
        Set<String> tieOrders = new HashSet<>();
        for (int u = 0; u < 20; u++) {
            int[] o = order(s, u, 13);
            assertThat(o[0]).isEqualTo(1);
            assertThat(o[1]).isEqualTo(2);
            assertThat(o[2]).isEqualTo(0);
            tieOrders.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(o, 3, 13)));
        }
        assertThat(tieOrders).hasSizeGreaterThan(15);
        float[] some = new float[2];
        s.score(4, new int[] {9, 1}, 2, some);
        float[] all = new float[13];
        s.scoreAll(4, 13, all);
        assertThat(some).containsExactly(all[9], all[1]);
    }

    @Test
    void popularityRanksByTrainingCount() {
        ItemPriorScorer p = ItemPriorScorer.popularity(4, new int[] {2, 0, 2, 2, 0, 3, 2}, 1);
        assertThat(order(p, 0, 4)).containsExactly(2, 0, 3, 1);
    }

    @Test
    void categoryPopularityIsTheMeanPopularityOfAnItemOfItsCategories() {
        // trained items: 0 (cat 0, pop 4), 1 (cat 0, pop 2), 2 (cat 1, pop 9); catPop = {3, 9}, cat 2 untrained.
        // cold items: 3 in {0} -> 3; 4 in {0, 1} -> 6; 5 in {2} -> fallback (4+2+9)/3 = 5; 6 in {1} -> 9.
        int[] train = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[][] cats = {{0}, {0}, {1}, {0}, {0, 1}, {2}, {1}};
        ItemPriorScorer c = ItemPriorScorer.categoryPopularity(7, train, cats, 3, 1);
        int[] o = order(c, 0, 7);
        // 2 and 6 tie at 9 (random order), then 4 (6), 5 (5), 0 (4), 3 and ... 
        assertThat(new int[] {o[0], o[1]}).containsExactlyInAnyOrder(2, 6);
        assertThat(java.util.Arrays.copyOfRange(o, 2, 5)).containsExactly(4, 5, 0);
        assertThat(new int[] {o[5], o[6]}).containsExactlyInAnyOrder(3, 1);
        assertThatThrownBy(() -> ItemPriorScorer.categoryPopularity(2, new int[0], new int[][] {{0}, {3}}, 3, 1))
                .hasMessage("item 1: expected category indices in [0, 3), found 3");
        assertThatThrownBy(() -> ItemPriorScorer.of(new double[] {Double.NaN}, 1))
                .hasMessage("prior of item 0 is NaN; expected a number");
    }
}
