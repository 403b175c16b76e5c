package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StochasticQuantizationTest {

    @Test
    void levelsAreTwoToTheBitsMinusOneMinusOne() {
        assertThat(StochasticQuantization.levels(8)).isEqualTo(127);
        assertThat(StochasticQuantization.levels(4)).isEqualTo(7);
        assertThatThrownBy(() -> StochasticQuantization.levels(9)).hasMessageContaining("2 to 8 bits, found 9");
    }

    @Test
    void valuesOnALevelAreExactAndTheBlockMaximumKeepsItsValue() {
        // Block max 0.7, s = 7: levels are multiples of 0.1; 0.7, -0.3 and 0 sit on levels.
        float[] v = {0.7f, -0.3f, 0f, 0.7f};
        byte[] levels = new byte[4];
        float[] scales = new float[1];
        StochasticQuantization.quantize(v, 4, 64, new SplittableRandom(1), levels, scales);
        assertThat(scales).containsExactly(0.7f);
        assertThat(levels[0]).isEqualTo((byte) 7);
        assertThat(levels[2]).isEqualTo((byte) 0);
        float[] back = StochasticQuantization.dequantize(levels, scales, 4, 64);
        assertThat(back[0]).isEqualTo(0.7f);
        assertThat(back[2]).isZero();
        // -0.3 = -3 levels up to float rounding of 0.3 * 7 / 0.7: level -3, or very rarely -2 or -4.
        assertThat(levels[1]).isBetween((byte) -4, (byte) -2);
    }

    @Test
    void blocksHaveTheirOwnScales() {
        float[] v = {1f, 0.5f, 0.01f, 0.02f, 0f};
        byte[] levels = new byte[5];
        float[] scales = new float[3];
        StochasticQuantization.quantize(v, 8, 2, new SplittableRandom(2), levels, scales);
        assertThat(scales).containsExactly(1f, 0.02f, 0f);
        assertThat(levels[3]).isEqualTo((byte) 127);
        assertThat(levels[4]).isZero();
    }

    /**
     * E[decoded] = value: the mean of n independent decodings lies within 5 standard errors of the value,
     * with the per-value variance bound (m / s)^2 / 4 of stochastic rounding; and it is far from the value
     * for a deliberately biased rounding (nearest-level), so the test can fail.
     */
    @Test
    void decodingIsUnbiased() {
        float[] v = {0.013f, -0.41f, 0.999f, -1f, 0.5003f, 0.0001f, -0.77f, 0.3333f};
        for (int bits : new int[] {8, 4, 2}) {
            int s = StochasticQuantization.levels(bits);
            int n = 40_000;
            double[] sum = new double[v.length];
            byte[] levels = new byte[v.length];
            float[] scales = new float[1];
            SplittableRandom random = new SplittableRandom(42 + bits);
            for (int t = 0; t < n; t++) {
                StochasticQuantization.quantize(v, bits, 64, random, levels, scales);
                float[] back = StochasticQuantization.dequantize(levels, scales, bits, 64);
                for (int i = 0; i < v.length; i++) {
                    sum[i] += back[i];
                }
            }
            double step = 1.0 / s; // the block max is 1
            double stdErr = step / 2 / Math.sqrt(n);
            for (int i = 0; i < v.length; i++) {
                double mean = sum[i] / n;
                assertThat(Math.abs(mean - v[i])).as("bits %d, value %s, mean %s", bits, v[i], mean)
                        .isLessThanOrEqualTo(5 * stdErr + 1e-7);
            }
            // Rounding 0.013 to the nearest level would be off by min(frac, 1 - frac) * step, many errors.
            double frac = 0.013 * s - Math.floor(0.013 * s);
            double nearestBias = Math.min(frac, 1 - frac) * step;
            if (nearestBias > 20 * stdErr) {
                assertThat(Math.abs(sum[0] / n - v[0])).isLessThan(nearestBias / 4);
            }
        }
    }

    @Property(tries = 300)
    void decodedValuesAreWithinOneStepAndKeepTheSign(@ForAll("vectors") float[] v,
                                                     @ForAll @IntRange(min = 1, max = 40) int block,
                                                     @ForAll boolean eight) {
        int bits = eight ? 8 : 4;
        int s = StochasticQuantization.levels(bits);
        byte[] levels = new byte[v.length];
        float[] scales = new float[StochasticQuantization.blocks(v.length, block)];
        StochasticQuantization.quantize(v, bits, block, new SplittableRandom(v.length), levels, scales);
        float[] back = StochasticQuantization.dequantize(levels, scales, bits, block);
        for (int i = 0; i < v.length; i++) {
            float step = scales[i / block] / s;
            assertThat(Math.abs(back[i] - v[i])).isLessThanOrEqualTo(step * 1.0001f + 1e-30f);
            assertThat(back[i] * v[i]).isGreaterThanOrEqualTo(0f);
            assertThat(Math.abs(levels[i])).isLessThanOrEqualTo(s);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<float[]> vectors() {
        return net.jqwik.api.Arbitraries.floats().between(-10f, 10f).array(float[].class).ofMinSize(0).ofMaxSize(200);
    }

    @Test
    void aNonFiniteValueIsRefusedWithItsPosition() {
        float[] v = {1f, Float.NaN};
        assertThatThrownBy(() -> StochasticQuantization.quantize(v, 8, 64, new SplittableRandom(0), new byte[2],
                new float[1])).hasMessageContaining("non-finite value NaN at position 1");
    }
}
