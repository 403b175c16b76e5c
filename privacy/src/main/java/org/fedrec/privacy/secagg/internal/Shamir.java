package org.fedrec.privacy.secagg.internal;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Shamir's t-of-n secret sharing (Shamir, CACM 1979) of 32-byte secrets over the prime field
 * GF(p), p = 2^256 + 297 (the least prime above 2^256, so every 32-byte string is a field element).
 * A secret s is the constant term of a random polynomial f of degree t - 1; the share at x is f(x).
 * Any t shares give s by Lagrange interpolation at 0; fewer than t are independent of s.
 *
 * <p>Shares are encoded as {@value #SHARE_BYTES} big-endian bytes. Evaluation points are small positive
 * integers (a client's position in the round's roster plus one).
 */
public final class Shamir {

    /** The field modulus 2^256 + 297. */
    public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));
    /** Bytes of an encoded share: enough for any element of GF(p). */
    public static final int SHARE_BYTES = 33;
    /** Bytes of a secret. */
    public static final int SECRET_BYTES = 32;

    private Shamir() {
    }

    /** The shares of {@code secret} at the points {@code xs}, any {@code threshold} of which recover it. */
    public static byte[][] split(byte[] secret, int threshold, int[] xs, SecureRandom random) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a shared secret must be " + SECRET_BYTES + " bytes, found "
                    + secret.length);
        }
        if (threshold < 1 || threshold > xs.length) {
            throw new IllegalArgumentException("threshold must be in [1, " + xs.length + "] for " + xs.length
                    + " shares, was " + threshold);
        }
        BigInteger[] coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(1, secret);
        for (int i = 1; i < threshold; i++) {
            coefficients[i] = randomElement(random);
        }
        byte[][] shares = new byte[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            BigInteger x = BigInteger.valueOf(requirePoint(xs[k]));
            BigInteger y = BigInteger.ZERO;
            for (int i = threshold - 1; i >= 0; i--) { // Horner
                y = y.multiply(x).add(coefficients[i]).mod(PRIME);
            }
            shares[k] = encode(y);
        }
        return shares;
    }

    /**
     * The polynomial through the first {@code threshold} shares, evaluated at {@code at} (0 gives the
     * secret as a field element). Points must be distinct.
     */
    public static BigInteger interpolate(int[] xs, byte[][] ys, int threshold, long at) {
        if (threshold > xs.length || xs.length != ys.length) {
            throw new IllegalArgumentException("interpolation needs " + threshold + " shares, found " + xs.length
                    + " points and " + ys.length + " values");
        }
        BigInteger target = BigInteger.valueOf(at);
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < threshold; i++) {
            BigInteger xi = BigInteger.valueOf(requirePoint(xs[i]));
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (int j = 0; j < threshold; j++) {
                if (j == i) {
                    continue;
                }
                BigInteger xj = BigInteger.valueOf(xs[j]);
                if (xs[j] == xs[i]) {
                    throw new IllegalArgumentException("two shares at the same point x = " + xs[i]);
                }
                num = num.multiply(target.subtract(xj)).mod(PRIME);
                den = den.multiply(xi.subtract(xj)).mod(PRIME);
            }
            sum = sum.add(decode(ys[i]).multiply(num).multiply(den.modInverse(PRIME))).mod(PRIME);
        }
        return sum;
    }

    /**
     * True when every share lies on the polynomial through the first {@code threshold}: with more than
     * {@code threshold} shares, a corrupt one shows up as a mismatch.
     */
    public static boolean consistent(int[] xs, byte[][] ys, int threshold) {
        for (int k = threshold; k < xs.length; k++) {
            if (!interpolate(xs, ys, threshold, xs[k]).equals(decode(ys[k]))) {
                return false;
            }
        }
        return true;
    }

    /** The secret from the first {@code threshold} shares, or null when the result is not a 32-byte string. */
    public static byte[] reconstruct(int[] xs, byte[][] ys, int threshold) {
        BigInteger s = interpolate(xs, ys, threshold, 0);
        if (s.bitLength() > 8 * SECRET_BYTES) {
            return null;
        }
        byte[] be = s.toByteArray();
        byte[] out = new byte[SECRET_BYTES];
        int n = Math.min(be.length, SECRET_BYTES);
        System.arraycopy(be, be.length - n, out, SECRET_BYTES - n, n);
        return out;
    }

    private static BigInteger randomElement(SecureRandom random) {
        BigInteger r;
        do {
            r = new BigInteger(PRIME.bitLength(), random);
        } while (r.compareTo(PRIME) >= 0);
        return r;
    }

    private static int requirePoint(int x) {
        if (x < 1) {
            throw new IllegalArgumentException("Shamir evaluation points must be positive, found " + x);
        }
        return x;
    }

    private static byte[] encode(BigInteger y) {
        byte[] be = y.toByteArray();
        byte[] out = new byte[SHARE_BYTES];
        int n = Math.min(be.length, SHARE_BYTES);
        System.arraycopy(be, be.length - n, out, SHARE_BYTES - n, n);
        return out;
    }

    private static BigInteger decode(byte[] share) {
        if (share.length != SHARE_BYTES) {
            throw new IllegalArgumentException("a share must be " + SHARE_BYTES + " bytes, found " + share.length);
        }
        return new BigInteger(1, share);
    }
}
