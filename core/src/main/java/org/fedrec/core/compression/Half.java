package org.fedrec.core.compression;

/**
 * IEEE 754 binary16 ("half") conversions, as the bit pattern in the low 16 bits of an int (Java 17 has no
 * {@code Float.floatToFloat16}). {@link #fromFloat} rounds to nearest, ties to even, like a hardware
 * conversion: values beyond the largest half (65504) round to infinity only from 65520 up, values below
 * the smallest subnormal half (2^-24) to (signed) zero from 2^-25 down, NaN stays NaN.
 */
public final class Half {

    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    private Half() {
    }

    /** The half nearest to {@code f} (ties to even), as its 16 bits. */
    public static int fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0);
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return sign | 0x7c00;
        }
        if (e <= 0) {
            // Subnormal half: units of 2^-24. The float is (2^23 + mant) * 2^(exp - 150).
            int shift = 126 - exp;
            if (shift > 24) {
                return sign;
            }
            int full = mant | 0x800000;
            int m = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (m & 1) == 1)) {
                m++; // may carry into the smallest normal, which the bit layout makes right
            }
            return sign | m;
        }
        int h = sign | (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++; // a carry into the exponent is right, up to infinity
        }
        return h;
    }

    /** The float value of a half given by its 16 bits (exact: every half is a float). */
    public static float toFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int e = (half >>> 10) & 0x1f;
        int m = half & 0x3ff;
        if (e == 0) {
            float v = m * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (e == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (m << 13));
        }
        return Float.intBitsToFloat(sign | ((e - 15 + 127) << 23) | (m << 13));
    }
}
