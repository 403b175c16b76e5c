package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void kIsAFractionOfTheDenseTableRoundedUp() {
        assertThat(TopK.k(0.01, 1682, 64)).isEqualTo(1077); // 1076.48
        assertThat(TopK.k(0.01, 1682, 1)).isEqualTo(17);
        assertThat(TopK.k(0.01, 10, 1)).isEqualTo(1);
        assertThat(TopK.k(0.5, 4, 1)).isEqualTo(2);
        assertThat(TopK.k(1, 3, 5)).isEqualTo(15);
        assertThatThrownBy(() -> TopK.k(0, 3, 5)).hasMessageContaining("(0, 1]");
    }

    @Test
    void handPicked() {
        float[] v = {0.1f, -5f, 3f, 0f, -3f, 4f};
        assertThat(TopK.select(v, 3)).containsExactly(1, 2, 5); // 5, 4, then the first of the two 3s
        assertThat(TopK.select(v, 4)).containsExactly(1, 2, 4, 5);
        assertThat(TopK.select(v, 0)).isEmpty();
        assertThat(TopK.select(v, 10)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Property(tries = 500)
    void picksTheLargestMagnitudesInIncreasingPositions(@ForAll("values") float[] v,
                                                        @ForAll @IntRange(min = 0, max = 60) int k) {
        float[] before = v.clone();
        int[] picked = TopK.select(v, k);
        assertThat(v).isEqualTo(before);
        assertThat(picked).hasSize(Math.min(k, v.length));
        for (int i = 1; i < picked.length; i++) {
            assertThat(picked[i]).isGreaterThan(picked[i - 1]);
        }
        boolean[] in = new boolean[v.length];
        float smallestPicked = Float.POSITIVE_INFINITY;
        for (int p : picked) {
            in[p] = true;
            smallestPicked = Math.min(smallestPicked, Math.abs(v[p]));
        }
        for (int i = 0; i < v.length; i++) {
            if (!in[i]) {
                assertThat(Math.abs(v[i])).isLessThanOrEqualTo(smallestPicked);
            }
        }
        // Ties at the threshold go to the earliest positions.
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                if (Math.abs(v[i]) == Math.abs(v[j]) && in[j]) {
                    assertThat(in[i]).as("tie %d before %d", i, j).isTrue();
                }
            }
        }
        float[] sorted = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            sorted[i] = Math.abs(v[i]);
        }
        Arrays.sort(sorted);
        if (k > 0 && k <= v.length) {
            assertThat(smallestPicked).isEqualTo(sorted[v.length - k]);
        }
    }

    @Provide
    Arbitrary<float[]> values() {
        // Few distinct values, so that ties are common.
        return Arbitraries.integers().between(-6, 6).map(i -> i / 2f).array(float[].class).ofMaxSize(80);
    }
}
