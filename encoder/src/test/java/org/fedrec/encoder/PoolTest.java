package org.fedrec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedrec.encoder.internal.Pool;
import org.junit.jupiter.api.Test;

/** Pooling arithmetic against values worked out by hand. */
class PoolTest {

    /** Two rows of three positions of two numbers: row 1 holds (1,2) (3,4) then padding (9,9). */
    private static final float[] HIDDEN = {
        0, 0, 0, 0, 0, 0,
        1, 2, 3, 4, 9, 9};

    @Test
    void meanCountsOnlyTheRowsTokens() {
        float[] out = new float[2];
        Pool.mean(HIDDEN, 1, 3, 2, 2, out);
        assertThat(out).containsExactly(2f, 3f);
    }

    @Test
    void firstTakesTheRowsFirstTokenVector() {
        float[] out = new float[2];
        Pool.first(HIDDEN, 1, 3, 2, out);
        assertThat(out).containsExactly(1f, 2f);
    }

    @Test
    void l2NormalisationGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = {3, 4};
        Pool.l2Normalize(v);
        assertThat(v).containsExactly(0.6f, 0.8f);
        float[] zero = {0, 0};
        Pool.l2Normalize(zero);
        assertThat(zero).containsExactly(0f, 0f);
    }
}
