package org.fedrec.privacy.internal;

/**
 * Special functions in log space that the JDK lacks: log-gamma, log-binomial (generalized to real
 * arguments), log-erfc accurate far into the tail, and log-add. Accuracy is about 1e-14 relative for
 * what the accountant needs; {@code LogMathTest} checks it against SciPy values.
 */
public final class LogMath {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /** Lanczos coefficients, g = 7, n = 9 (Godfrey); relative error below 1e-15 for x ≥ 0.5. */
    private static final double LANCZOS_G = 7;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /** Below this the power series for erf is used, above it the continued fraction for erfc. */
    private static final double ERFC_SWITCH = 2.5;

    private LogMath() {
    }

    /** log(exp(a) + exp(b)) without overflow; either may be −∞. */
    public static double logAdd(double a, double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        if (hi == Double.POSITIVE_INFINITY) {
            return hi;
        }
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /**
     * log|Γ(x)| for real x that is not a non-positive integer (there it returns +∞). Lanczos for
     * x ≥ 0.5, the reflection formula below.
     */
    public static double logGamma(double x) {
        if (x < 0.5) {
            if (x == Math.rint(x)) {
                return Double.POSITIVE_INFINITY;
            }
            return Math.log(Math.PI / Math.abs(sinPi(x))) - logGamma(1 - x);
        }
        double y = x - 1;
        double a = LANCZOS[0];
        for (int k = 1; k < LANCZOS.length; k++) {
            a += LANCZOS[k] / (y + k);
        }
        double t = y + LANCZOS_G + 0.5;
        return LOG_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** sin(πx), with the argument reduced exactly modulo 2 first. */
    static double sinPi(double x) {
        double r = x - 2 * Math.floor(x / 2); // in [0, 2), exact
        return Math.sin(Math.PI * r);
    }

    /**
     * log|C(n, k)| = log|Γ(n+1) / (Γ(k+1) Γ(n−k+1))| for real n and integer k ≥ 0 (the generalized
     * binomial coefficient; its sign is {@link #binomialSign}). −∞ where the coefficient is zero.
     */
    public static double logAbsBinomial(double n, int k) {
        if (n == Math.rint(n) && n >= 0) {
            if (k > n) {
                return Double.NEGATIVE_INFINITY;
            }
            if (k == 0 || k == n) {
                return 0;
            }
        }
        return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
    }

    /**
     * Sign of the generalized binomial C(n, k) = n(n−1)…(n−k+1)/k! for real n ≥ 0 and integer k ≥ 0:
     * +1 up to k = ⌊n⌋ + 1, then alternating (one more negative factor per step).
     */
    public static int binomialSign(double n, int k) {
        long negativeFactors = Math.max(0, (long) k - (long) Math.floor(n) - 1);
        if (n == Math.rint(n)) {
            return 1; // zero beyond n, reported as positive (its log is −∞)
        }
        return negativeFactors % 2 == 0 ? 1 : -1;
    }

    /** log(erfc(x)) for all real x, accurate in the far tail (no underflow). */
    public static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= ERFC_SWITCH) {
            return logErfcContinuedFraction(x);
        }
        if (x >= 0) {
            return Math.log1p(-erfSeries(x));
        }
        if (x > -ERFC_SWITCH) {
            return Math.log1p(erfSeries(-x));
        }
        // erfc(x) = 2 − erfc(−x), erfc(−x) < 4.1e-4.
        return Math.log(2) + Math.log1p(-0.5 * Math.exp(logErfcContinuedFraction(-x)));
    }

    /** log Φ(x), the log of the standard normal CDF: log(½ erfc(−x/√2)). */
    public static double logNdtr(double x) {
        return Math.log(0.5) + logErfc(-x / Math.sqrt(2));
    }

    /** erf(x) for 0 ≤ x < 2.5 by the all-positive series (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (2n+1)!!. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 500; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * log erfc(x) for x ≥ 2.5 from erfc(x) = e^{−x²}/√π · 2x / (2x²+1 − 1·2/(2x²+5 − 3·4/(2x²+9 − …))),
     * evaluated by the modified Lentz method.
     */
    private static double logErfcContinuedFraction(double x) {
        double tiny = 1e-300;
        double b0 = 2 * x * x + 1;
        double f = b0;
        double c = f;
        double d = 0;
        for (int n = 1; n < 5000; n++) {
            double an = -(2.0 * n - 1) * (2.0 * n);
            double bn = 2 * x * x + 4 * n + 1;
            d = bn + an * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = bn + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return -x * x - LOG_SQRT_PI + Math.log(2 * x) - Math.log(f);
    }
}
