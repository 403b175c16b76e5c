package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void matchesTheReferenceImplementation() {
        // splitmix64.c (Vigna) with x = 0
        SplitMix64 r = new SplitMix64(0);
        assertThat(new long[] {r.nextLong(), r.nextLong(), r.nextLong()})
                .containsExactly(0xe220a8397b1dcdafL, 0x6e789e6aa1b965f4L, 0x06c45d188009454fL);
    }

    @Test
    void theTwoStreamDerivationsArePinnedAndDistinct() {
        assertThat(SplitMix64.streamKey(7, 3)).isEqualTo(0xf0e521070cc03750L);
        assertThat(SplitMix64.xorStreamKey(7, 3)).isEqualTo(0x59f0a990a364d3fdL);
        assertThat(SplitMix64.forStream(7, 3).nextLong()).isEqualTo(new SplitMix64(0xf0e521070cc03750L).nextLong());
        assertThat(SplitMix64.forXorStream(7, 3).nextLong()).isEqualTo(new SplitMix64(0x59f0a990a364d3fdL).nextLong());
    }

    @Test
    void theTwoIntRulesDifferOnlyForPowersOfTwo() {
        SplitMix64 a = new SplitMix64(1);
        SplitMix64 b = new SplitMix64(1);
        int[] low = new int[6];
        int[] high = new int[6];
        for (int i = 0; i < 6; i++) {
            low[i] = a.nextInt(8);
            high[i] = b.nextIntJdkRule(8);
        }
        assertThat(low).containsExactly(6, 0, 7, 0, 4, 7);
        assertThat(high).containsExactly(4, 5, 7, 3, 3, 6);
        for (int i = 0; i < 1000; i++) {
            int oddBound = 2 * i + 3;
            assertThat(a.nextInt(oddBound)).isEqualTo(b.nextIntJdkRule(oddBound));
        }
    }

    @Test
    void rejectsNonPositiveBoundsAndShapes() {
        SplitMix64 r = new SplitMix64(1);
        assertThatThrownBy(() -> r.nextInt(0)).hasMessage("expected a positive bound, found 0");
        assertThatThrownBy(() -> r.nextIntJdkRule(-1)).hasMessage("expected a positive bound, found -1");
        assertThatThrownBy(() -> r.nextGamma(0)).hasMessage("expected a positive gamma shape, found 0.0");
    }

    @Test
    void dirichletProportionsSumToOne() {
        double[] p = new SplitMix64(5).nextDirichlet(4, 0.5);
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1.0, within(1e-12));
    }
}
