package org.fedrec.privacy;

import org.fedrec.privacy.internal.LogMath;

/**
 * The exact (ε, δ) curve of the Gaussian mechanism (Balle &amp; Wang 2018, "Improving the Gaussian
 * Mechanism for Differential Privacy: Analytical Calibration and Optimal Denoising", Theorem 8): adding
 * N(0, σ²) to a query of L2 sensitivity 1 is (ε, δ)-DP exactly for
 *
 * <pre>  δ(ε) = Φ(1/(2σ) − εσ) − e^ε Φ(−1/(2σ) − εσ)</pre>
 *
 * the hockey-stick divergence of N(1, σ²) from N(0, σ²); the same holds in both directions (add and
 * remove). Composition: T runs of noise σ are one run of noise σ/√T (Dong, Roth, Su 2019, μ-GDP with
 * μ = 1/σ), so {@code delta(sigma / Math.sqrt(T), ε)} is the exact δ of T steps with sampling rate 1.
 *
 * <p>Pure functions; computed in log space (log Φ accurate far into the tail), so δ keeps its relative
 * accuracy down to the smallest doubles. Errors name the argument and its value.
 */
public final class AnalyticGaussian {

    private AnalyticGaussian() {
    }

    /**
     * δ(ε) of the Gaussian mechanism with noise σ (per unit sensitivity). Any real ε is accepted: for
     * ε &lt; 0 the value is the hockey-stick divergence of order e^ε (at least 1 − e^ε); +∞ gives 0.
     */
    public static double delta(double sigma, double epsilon) {
        checkSigma(sigma);
        if (Double.isNaN(epsilon)) {
            throw new IllegalArgumentException("epsilon must not be NaN");
        }
        if (epsilon == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (epsilon == Double.NEGATIVE_INFINITY) {
            return 1;
        }
        double a = 0.5 / sigma - epsilon * sigma;
        double b = a - 1 / sigma;
        double logPhiA = LogMath.logNdtr(a);
        double logRatio = Math.min(0, epsilon + LogMath.logNdtr(b) - logPhiA); // ln(e^ε Φ(b)/Φ(a)) ≤ 0
        return Math.min(1, Math.exp(logPhiA) * -Math.expm1(logRatio));
    }

    /**
     * The smallest ε ≥ 0 with δ(ε) ≤ {@code delta} for noise σ, by bisection to 1e-12 relative (rounded up);
     * 0 if δ(0) ≤ delta already.
     */
    public static double epsilon(double sigma, double delta) {
        checkSigma(sigma);
        if (!(delta > 0 && delta <= 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1], was " + delta);
        }
        if (delta(sigma, 0) <= delta) {
            return 0;
        }
        double hi = 1;
        while (delta(sigma, hi) > delta) {
            hi *= 2;
            if (hi > 1e12) {
                return Double.POSITIVE_INFINITY;
            }
        }
        double lo = hi / 2 < 1 ? 0 : hi / 2;
        while (hi - lo > 1e-12 * hi) {
            double mid = 0.5 * (lo + hi);
            if (delta(sigma, mid) <= delta) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static void checkSigma(double sigma) {
        if (!(sigma > 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("noise sigma must be > 0 and finite, was " + sigma);
        }
    }
}
