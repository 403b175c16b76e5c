package org.fedrec.models.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.fedrec.core.SplitMix64;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void splitMix64MatchesTheReferenceOutputs() {
        // Vigna's splitmix64.c seeded with 1234567.
        SplitMix64 r = new SplitMix64(1234567);
        assertThat(new long[] {r.nextLong(), r.nextLong(), r.nextLong()})
                .containsExactly(6457827717110365317L, 3203168211198807973L, -8629252141511181193L);
    }

    @Test
    void boundedIntsStayInRange() {
        SplitMix64 r = new SplitMix64(3);
        int[] seen = new int[7];
        for (int i = 0; i < 7000; i++) {
            seen[r.nextIntJdkRule(7)]++;
        }
        for (int c : seen) {
            assertThat(c).isBetween(850, 1150);
        }
        assertThatThrownBy(() -> r.nextIntJdkRule(0)).hasMessage("expected a positive bound, found 0");
    }

    @Property
    void distinctValuesInRange(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll @IntRange(min = 0, max = 300) int k,
            @ForAll long seed) {
        int kk = Math.min(k, n);
        int[] out = new int[kk + 2];
        out[0] = -7;
        Sampling.distinct(new SplitMix64(seed), n, kk, out, 1);
        assertThat(out[0]).isEqualTo(-7);
        int[] drawn = java.util.Arrays.copyOfRange(out, 1, kk + 1);
        assertThat(drawn).doesNotHaveDuplicates();
        for (int v : drawn) {
            assertThat(v).isBetween(0, n - 1);
        }
    }

    @Test
    void rejectsMoreThanThePopulation() {
        assertThatThrownBy(() -> Sampling.distinct(new SplitMix64(1), 3, 4, new int[4], 0))
                .hasMessage("expected 0 <= k <= n, found k=4, n=3");
    }
}
