package org.fedrec.core.compression;

import java.util.SplittableRandom;

/**
 * Unbiased stochastic quantization of a vector to {@code b} bits per value, block by block (QSGD: Alistarh,
 * Grubic, Li, Tomioka, Vojnovic, NeurIPS 2017, "QSGD: Communication-Efficient SGD via Gradient Quantization
 * and Encoding", with the block's max-norm as the scale, as in their practical variant).
 *
 * <p>The values are cut into consecutive blocks of {@code block} values (the last may be shorter). For a
 * block with scale {@code m = max_i |v_i|} and {@code s = 2^(b-1) - 1} levels per sign (127 for 8 bits, 7
 * for 4), each value becomes the signed integer level
 * <pre>  l_i = sign(v_i) * (floor(x_i) + Bernoulli(x_i - floor(x_i))),   x_i = s |v_i| / m,</pre>
 * and decodes to {@code l_i * (m / s)}. Since {@code E[floor(x) + Bernoulli(x - floor(x))] = x}, the
 * decoded value is unbiased, {@code E[decoded_i] = v_i} (up to the float rounding of {@code m / s}, a
 * relative 6e-8, and the 32-bit resolution of the Bernoulli draw, 2^-32 of a level), with variance at most {@code (m / s)^2 / 4} per value. A block of zeros has scale 0 and
 * decodes to zeros. On the wire a block is its scale as fp32 and its levels ({@link Codec} packs them).
 */
public final class StochasticQuantization {

    private StochasticQuantization() {
    }

    /** The levels per sign for {@code bits} bits: 2^(bits-1) - 1. */
    public static int levels(int bits) {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("quantization needs 2 to 8 bits, found " + bits);
        }
        return (1 << (bits - 1)) - 1;
    }

    /** Number of blocks of {@code block} values covering {@code n} values. */
    public static int blocks(int n, int block) {
        return (n + block - 1) / block;
    }

    /**
     * Quantizes {@code values} into {@code levels} (one signed level per value, in [-s, s]) and
     * {@code scales} (one per block); {@code values} is only read.
     *
     * @throws IllegalArgumentException for a non-finite value, naming its position
     */
    public static void quantize(float[] values, int bits, int block, SplittableRandom random, byte[] levels,
                                float[] scales) {
        int s = levels(bits);
        int n = values.length;
        for (int b = 0, off = 0; off < n; b++, off += block) {
            int end = Math.min(n, off + block);
            float m = 0;
            for (int i = off; i < end; i++) {
                float a = Math.abs(values[i]);
                if (!(a <= Float.MAX_VALUE)) {
                    throw new IllegalArgumentException("cannot quantize the non-finite value " + values[i]
                            + " at position " + i);
                }
                m = Math.max(m, a);
            }
            scales[b] = m;
            if (m == 0) {
                for (int i = off; i < end; i++) {
                    levels[i] = 0;
                }
                continue;
            }
            double unit = s / (double) m;
            long bits64 = 0;
            for (int i = off; i < end; i++) {
                double x = Math.abs(values[i]) * unit;
                int l = (int) x;
                // Round up with probability x - l, from 32 uniform bits (half a nextLong), without a branch:
                // P(u < p) = floor((x - l) 2^32) / 2^32, within 2^-32 of x - l.
                long p = (long) ((x - l) * 0x1p32);
                long u;
                if (((i - off) & 1) == 0) {
                    bits64 = random.nextLong();
                    u = bits64 >>> 32;
                } else {
                    u = bits64 & 0xffffffffL;
                }
                l += (int) ((u - p) >>> 63);
                l = Math.min(l, s); // x <= s exactly; guards the rounding of |v| * s / m
                levels[i] = (byte) (values[i] < 0 ? -l : l);
            }
        }
    }

    /** The decoded values: {@code levels[i] * (scale / s)} with the scale of value i's block. */
    public static float[] dequantize(byte[] levels, float[] scales, int bits, int block) {
        int s = levels(bits);
        float[] out = new float[levels.length];
        for (int b = 0, off = 0; off < levels.length; b++, off += block) {
            int end = Math.min(levels.length, off + block);
            float step = scales[b] / s;
            for (int i = off; i < end; i++) {
                out[i] = levels[i] * step;
            }
        }
        return out;
    }
}
