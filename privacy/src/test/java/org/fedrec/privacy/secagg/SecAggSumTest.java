package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fedrec.core.CleartextSum;
import org.fedrec.core.RandomSource;
import org.junit.jupiter.api.Test;

class SecAggSumTest {

    private static final FixedPoint VALUES = new FixedPoint(16, 1 << 20, 64);

    @Test
    void equalsTheCleartextSumWithinFixedPointRounding() {
        SplittableRandom r = new SplittableRandom(3);
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int c = 0; c < 7; c++) {
            ids.add("client-" + c);
            float[] v = new float[40];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() * 8 - 4);
            }
            vectors.add(v);
        }
        float[] plain = new CleartextSum().sum(1, ids, vectors);
        for (int degree : new int[] {0, 4}) {
            float[] secure = new SecAggSum(VALUES, degree, 0.5, RandomSource.seeded(9)).sum(1, ids, vectors);
            for (int i = 0; i < plain.length; i++) {
                assertThat(secure[i]).as("entry %d, degree %d", i, degree).isCloseTo(plain[i], within(1e-4f));
            }
        }
    }

    @Test
    void refusesAValueOutsideTheRangeNamingClientAndEntry() {
        List<float[]> vectors = List.of(new float[] {1, 2}, new float[] {3, 17});
        assertThatThrownBy(() -> new SecAggSum(VALUES, 0, 0.5, RandomSource.seeded(1)).sum(2, List.of("a", "b"), vectors))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client b")
                .hasMessageContaining("entry 1").hasMessageContaining("17.0");
    }

    @Test
    void refusesVectorsOfDifferentLengths() {
        List<float[]> vectors = List.of(new float[] {1, 2}, new float[] {3});
        assertThatThrownBy(() -> new SecAggSum(VALUES, 0, 0.5, RandomSource.seeded(1)).sum(2, List.of("a", "b"), vectors))
                .hasMessageContaining("client b").hasMessageContaining("1 entries");
    }
}
