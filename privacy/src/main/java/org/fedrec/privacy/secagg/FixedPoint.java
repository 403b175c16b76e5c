package org.fedrec.privacy.secagg;

/**
 * Fixed-point encoding of reals into Z_(2^k) for secure aggregation: a value is clipped to
 * {@code [-range, range]}, scaled by {@code scale}, rounded to the nearest integer q (ties to even) and
 * stored as q mod 2^k. Sums of encodings are sums of the q mod 2^k; {@link #decode} lifts a sum back to the
 * signed integer in {@code (-2^(k-1), 2^(k-1)]} and divides by the scale.
 *
 * <p>The lift is exact as long as the true sum of the q lies in {@code (-2^(k-1), 2^(k-1))}: with n clients
 * that holds when {@code n * round(range * scale) < 2^(k-1)}, which {@link #requireCapacity} checks
 * before a round starts. Each encoded value is off by at most {@code 1 / (2 scale)} (plus what clipping
 * removed), so a sum of n values is off by at most {@code n / (2 scale)}.
 *
 * @param range bound on the magnitude of a value; larger ones are clipped to it
 * @param scale fixed-point resolution: values are multiples of 1/scale
 * @param bits  k: 32 or 64
 */
public record FixedPoint(double range, double scale, int bits) {

    public FixedPoint {
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("fixed-point range must be positive and finite, was " + range);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("fixed-point scale must be positive and finite, was " + scale);
        }
        if (bits != 32 && bits != 64) {
            throw new IllegalArgumentException("fixed-point modulus bits k must be 32 or 64, was " + bits);
        }
        if (Math.rint(range * scale) >= Math.scalb(1.0, bits - 1)) {
            throw new IllegalArgumentException("fixed-point range " + range + " times scale " + scale
                    + " does not fit in Z_2^" + bits + " even for one client");
        }
    }

    /** The largest number of clients whose encodings can be summed without wrapping. */
    public long maxClients() {
        long perClient = Math.max(1, (long) Math.rint(range * scale));
        long limit = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        return limit / perClient;
    }

    /** Throws unless {@code clients} encodings sum without wrapping; the message gives the numbers. */
    public void requireCapacity(long clients) {
        if (clients > maxClients()) {
            throw new IllegalArgumentException(clients + " clients with values in [-" + range + ", " + range
                    + "] at scale " + scale + " could sum to " + clients + " x " + Math.rint(range * scale)
                    + ", which wraps in Z_2^" + bits + " (at most " + maxClients()
                    + " clients fit): lower the range or the scale, or use 64 bits");
        }
    }

    /** True when {@code value} lies outside the range and {@link #encode} clips it. */
    public boolean clips(double value) {
        return Math.abs(value) > range;
    }

    /** The encoding of one value in [0, 2^k); NaN and infinities are refused with {@code where} in the message. */
    public long encode(double value, String where) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(where + " is " + value + "; secure aggregation needs finite values");
        }
        double clipped = Math.max(-range, Math.min(range, value));
        long q = (long) Math.rint(clipped * scale);
        return bits == 64 ? q : q & 0xFFFF_FFFFL;
    }

    /** The real value of a sum of encodings (entries in [0, 2^k)). */
    public double decode(long sum) {
        long signed = bits == 64 ? sum : (sum << 32) >> 32;
        return signed / scale;
    }
}
