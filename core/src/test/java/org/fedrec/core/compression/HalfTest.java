package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** fp16 against the IEEE 754 definition: exact on halves, nearest-even otherwise. */
class HalfTest {

    @Test
    void everyHalfSurvivesTheTripThroughFloat() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Half.toFloat(h);
            if (Float.isNaN(f)) {
                assertThat(Half.fromFloat(f) & 0x7c00).isEqualTo(0x7c00);
                assertThat(Half.fromFloat(f) & 0x3ff).isNotZero();
                continue;
            }
            assertThat(Half.fromFloat(f)).as("half 0x%04x = %s", h, f).isEqualTo(h);
        }
    }

    @Test
    void handComputedValues() {
        assertThat(Half.fromFloat(1f)).isEqualTo(0x3c00);
        assertThat(Half.fromFloat(-2f)).isEqualTo(0xc000);
        assertThat(Half.fromFloat(65504f)).isEqualTo(0x7bff);
        assertThat(Half.fromFloat(65519.99f)).isEqualTo(0x7bff);
        assertThat(Half.fromFloat(65520f)).isEqualTo(0x7c00); // halfway to 2^16 rounds to even: infinity
        assertThat(Half.fromFloat(0x1p-24f)).isEqualTo(0x0001); // smallest subnormal
        assertThat(Half.fromFloat(0x1p-25f)).isEqualTo(0x0000); // halfway to it: even, zero
        assertThat(Half.fromFloat(0x1.8p-25f)).isEqualTo(0x0001);
        assertThat(Half.fromFloat(-0f)).isEqualTo(0x8000);
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa, 1.
        assertThat(Half.fromFloat(1f + 0x1p-11f)).isEqualTo(0x3c00);
        // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
        assertThat(Half.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo(0x3c02);
        assertThat(Half.toFloat(0x3555)).isEqualTo(0.333251953125f);
    }

    /** The nearest half by search over neighbours, ties to the even bit pattern. */
    private static int nearest(float f) {
        int guess = Half.fromFloat(f) & 0x7fff;
        double target = Math.abs((double) f);
        int best = -1;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int h = Math.max(0, guess - 2); h <= Math.min(0x7c00, guess + 2); h++) {
            double v = h == 0x7c00 ? 65536.0 : Half.toFloat(h); // round-to-nearest treats infinity as 2^16
            double err = Math.abs(v - target);
            if (err < bestErr || (err == bestErr && (h & 1) == 0)) {
                best = h;
                bestErr = err;
            }
        }
        return (f < 0 || (f == 0 && 1 / f < 0) ? 0x8000 : 0) | best;
    }

    @Property(tries = 5000)
    void roundsToTheNearestHalfWithTiesToEven(@ForAll float f) {
        if (Float.isNaN(f) || Math.abs(f) > 65536f) {
            return;
        }
        assertThat(Half.fromFloat(f)).as("%s", f).isEqualTo(nearest(f));
    }

    @Property(tries = 5000)
    void roundsSmallMagnitudesToo(@ForAll int bits) {
        // Floats of magnitude below 2: where subnormal halves and the normal range meet.
        float f = Float.intBitsToFloat((bits & 0x807fffff) | ((100 + Math.floorMod(bits >> 23, 28)) << 23));
        assertThat(Half.fromFloat(f)).as("%s", f).isEqualTo(nearest(f));
    }
}
