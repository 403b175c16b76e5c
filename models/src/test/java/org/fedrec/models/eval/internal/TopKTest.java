package org.fedrec.models.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.fedrec.core.SplitMix64;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void keepsTheBestInOrderWithTiesToTheLowerItem() {
        TopK top = new TopK(3);
        float[] scores = {0.5f, 0.9f, 0.5f, 0.1f, 0.9f, 0.5f};
        for (int i = scores.length - 1; i >= 0; i--) { // offer order does not matter
            top.offer(i, scores[i]);
        }
        assertThat(top.sortBestFirst()).isEqualTo(3);
        assertThat(new int[] {top.item(0), top.item(1), top.item(2)}).containsExactly(1, 4, 0);
        assertThat(top.score(2)).isEqualTo(0.5f);
    }

    @Test
    void holdsFewerThanCapacityWhenOfferedFewer() {
        TopK top = new TopK(5);
        top.offer(7, -1f);
        top.offer(2, Float.NEGATIVE_INFINITY);
        assertThat(top.sortBestFirst()).isEqualTo(2);
        assertThat(top.item(0)).isEqualTo(7);
        top.clear();
        assertThat(top.sortBestFirst()).isZero();
        assertThatThrownBy(() -> new TopK(0)).hasMessage("expected a capacity >= 1, found 0");
    }

    @Property
    void equalsThePrefixOfAFullSort(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20) Integer> raw,
            @ForAll @IntRange(min = 1, max = 30) int k, @ForAll long shuffleSeed) {
        float[] scores = new float[raw.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = raw.get(i) / 4f;
        }
        List<Integer> expected = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(k).collect(Collectors.toList());
        TopK top = new TopK(k);
        top.offer(0, 1e9f); // a previous user's entry, then cleared
        top.clear();
        SplitMix64 r = new SplitMix64(shuffleSeed);
        int[] order = IntStream.range(0, scores.length).toArray();
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextIntJdkRule(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i : order) {
            top.offer(i, scores[i]);
        }
        int n = top.sortBestFirst();
        assertThat(IntStream.range(0, n).map(top::item).boxed().collect(Collectors.toList())).isEqualTo(expected);
    }
}
