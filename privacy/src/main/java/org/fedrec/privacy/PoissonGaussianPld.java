package org.fedrec.privacy;

import org.fedrec.privacy.internal.LogMath;
import org.fedrec.privacy.internal.PrivacyLossPmf;

/**
 * One step of the Poisson-subsampled Gaussian mechanism under add-or-remove-one adjacency, as the pair
 * of distributions of the output with and without the individual (Zhu, Dong, Wang 2022, "Optimal
 * Accounting of Differential Privacy via Characteristic Function", §4; dp_accounting's
 * {@code GaussianPrivacyLoss}): with μ = N(0, σ²) and sensitivity 1,
 *
 * <ul>
 *   <li>{@link Direction#REMOVE}: P = (1−q)·μ + q·μ(· + 1) against Q = μ;</li>
 *   <li>{@link Direction#ADD}: P = μ against Q = (1−q)·μ + q·μ(· − 1).</li>
 * </ul>
 *
 * Their hockey-stick divergences reduce to the plain Gaussian's δ_G ({@link AnalyticGaussian#delta}) at
 * the unsubsampled loss ℓ(ε):
 *
 * <pre>
 *   REMOVE: δ(ε) = q·δ_G(ℓ),                  ℓ = ln(1 + (e^ε − 1)/q)      for ε &gt; ln(1−q), else 1 − e^ε
 *   ADD:    δ(ε) = (1 − (1−q)e^ε)·δ_G(ℓ),     ℓ = −ln(1 + (e^{−ε} − 1)/q)  for ε &lt; −ln(1−q), else 0
 * </pre>
 *
 * The loss of one step lies in {@code L(±ℓ_max)} with L(ℓ) = ln(1 − q + q e^ℓ) (REMOVE) or −L(−ℓ) (ADD)
 * and {@code ℓ_max = 1/(2σ²) + z_τ/σ}, where the noise has mass τ = e^{−50}/2 beyond z_τ standard
 * deviations (the truncation dp_accounting uses). The grid of {@link #discretize} covers that range.
 */
final class PoissonGaussianPld {

    /** Which neighbouring dataset plays P (the one sampled from). */
    enum Direction { REMOVE, ADD }

    /** −Φ^{-1}(e^{−50}/2): the noise beyond this many standard deviations has mass e^{−50}/2. */
    static final double TAIL_QUANTILE = standardNormalUpperQuantile(-50 - Math.log(2));

    private PoissonGaussianPld() {
    }

    /** The exact hockey-stick divergence δ(ε) of one step in the given direction, for any real ε. */
    static double delta(double q, double sigma, Direction direction, double epsilon) {
        if (q == 1) {
            return AnalyticGaussian.delta(sigma, epsilon);
        }
        double l = unsubsampledLoss(q, direction, epsilon);
        if (direction == Direction.REMOVE) {
            return l == Double.NEGATIVE_INFINITY ? -Math.expm1(epsilon) : q * AnalyticGaussian.delta(sigma, l);
        }
        // The weight 1 − (1−q)e^ε = q·e^{ε−ℓ}.
        return l == Double.POSITIVE_INFINITY ? 0
                : -Math.expm1(epsilon + Math.log1p(-q)) * AnalyticGaussian.delta(sigma, l);
    }

    /**
     * ℓ(ε), the unsubsampled Gaussian loss at which the subsampled loss is ε: the inverse of
     * {@link #loss}. −∞ for REMOVE at ε ≤ ln(1−q), +∞ for ADD at ε ≥ −ln(1−q) (no such loss).
     */
    static double unsubsampledLoss(double q, Direction direction, double epsilon) {
        if (q == 1) {
            return epsilon;
        }
        if (direction == Direction.ADD) {
            return -unsubsampledLoss(q, Direction.REMOVE, -epsilon);
        }
        if (epsilon <= Math.log1p(-q)) {
            return Double.NEGATIVE_INFINITY;
        }
        // ℓ = ln(e^ε − 1 + q) − ln q, written to avoid overflow for large ε.
        return epsilon > 0 ? epsilon + Math.log1p((q - 1) * Math.exp(-epsilon)) - Math.log(q)
                : Math.log(Math.expm1(epsilon) + q) - Math.log(q);
    }

    /** The loss of one step as a function of the unsubsampled Gaussian loss ℓ. */
    static double loss(double q, Direction direction, double l) {
        if (direction == Direction.ADD) {
            return -loss(q, Direction.REMOVE, -l);
        }
        if (q == 1) {
            return l;
        }
        // ln(1 − q + q e^ℓ)
        return l > 0 ? l + Math.log(q + (1 - q) * Math.exp(-l)) : Math.log1p(q * Math.expm1(l));
    }

    /** Grid indices [lo, hi] (times d) covering the losses of one step. */
    static long[] gridRange(double q, double sigma, Direction direction, double d) {
        double lMax = 0.5 / (sigma * sigma) + TAIL_QUANTILE / sigma;
        double lo = loss(q, direction, -lMax);
        double hi = loss(q, direction, lMax);
        return new long[] {(long) Math.floor(lo / d), (long) Math.ceil(hi / d)};
    }

    /**
     * The pessimistic connect-the-dots PLD of one step ({@link PrivacyLossPmf#connectTheDots}) on the grid
     * of spacing d over {@link #gridRange}. The loss is decreasing in the output x, so L &gt; ε_i exactly
     * when x &lt; x_i = ∓½ − σ²ℓ(ε_i) (REMOVE −, ADD +), and every interval mass is a difference of normal
     * CDFs at the standardised cut-offs u_i = x_i/σ (and u_i ± 1/σ for the shifted component), taken in
     * log space so that it keeps its relative accuracy in both tails.
     *
     * @throws IllegalArgumentException if the grid would have more than {@code maxPoints} points
     */
    static PrivacyLossPmf discretize(double q, double sigma, Direction direction, double d, int maxPoints) {
        long[] range = gridRange(q, sigma, direction, d);
        long points = range[1] - range[0] + 1;
        if (points > maxPoints) {
            throw new IllegalArgumentException("noise multiplier z=" + sigma + " at sampling rate q=" + q
                    + " needs " + points + " grid points at discretization " + d + " (at most " + maxPoints
                    + "); use a coarser discretization");
        }
        int n = (int) points;
        double half = direction == Direction.REMOVE ? -0.5 / sigma : 0.5 / sigma;
        double shift = direction == Direction.REMOVE ? 1 / sigma : -1 / sigma; // the component N(∓1, σ²)
        NormalCdf base = new NormalCdf(n);
        NormalCdf shifted = new NormalCdf(n);
        for (int i = 0; i < n; i++) {
            double u = half - sigma * unsubsampledLoss(q, direction, (range[0] + i) * d);
            base.set(i, u);
            shifted.set(i, u + shift);
        }
        // The sampled-from distribution P and the other one Q as mixtures of the two components:
        // REMOVE: P = (1−q)·base + q·shifted, Q = base;  ADD: P = base, Q = (1−q)·base + q·shifted.
        double mixBase = direction == Direction.REMOVE ? 1 - q : 1;
        double mixShifted = direction == Direction.REMOVE ? q : 0;
        double lowerBase = direction == Direction.REMOVE ? 1 : 1 - q;
        double lowerShifted = direction == Direction.REMOVE ? 0 : q;
        double[] upperMass = new double[n - 1];
        double[] lowerMass = new double[n - 1];
        for (int i = 0; i < n - 1; i++) { // (ε_i, ε_{i+1}]: u in [u_{i+1}, u_i)
            double b = base.between(i + 1, i);
            double s = shifted.between(i + 1, i);
            upperMass[i] = Math.min(1, mixBase * b + mixShifted * s);
            lowerMass[i] = Math.min(1, lowerBase * b + lowerShifted * s);
        }
        double below = Math.min(1, mixBase * base.above(0) + mixShifted * shifted.above(0));
        double aboveLower = Math.min(1, lowerBase * base.below(n - 1) + lowerShifted * shifted.below(n - 1));
        double top = delta(q, sigma, direction, (range[1]) * d);
        return PrivacyLossPmf.connectTheDots(d, range[0], below, upperMass, lowerMass, aboveLower, top);
    }

    /** log Φ(±u) at a decreasing sequence of standardised points u_0 &gt; u_1 &gt; …, and differences of Φ. */
    private static final class NormalCdf {
        private final double[] logBelow; // log Φ(u_i)
        private final double[] logAbove; // log Φ(−u_i) = log(1 − Φ(u_i))

        NormalCdf(int n) {
            logBelow = new double[n];
            logAbove = new double[n];
        }

        void set(int i, double u) {
            // The smaller tail directly (accurate far out), the other as log(1 − that). u = ±∞ where a grid
            // end lies beyond the range of the loss (e.g. REMOVE below ln(1−q)).
            double tail = Double.isInfinite(u) ? Double.NEGATIVE_INFINITY : LogMath.logNdtr(-Math.abs(u));
            double rest = Math.log1p(-Math.exp(tail));
            logBelow[i] = u < 0 ? tail : rest;
            logAbove[i] = u < 0 ? rest : tail;
        }

        double below(int i) {
            return Math.exp(logBelow[i]);
        }

        double above(int i) {
            return Math.exp(logAbove[i]);
        }

        /** Φ(u_hi) − Φ(u_lo) for u_lo = u_{lo} ≤ u_hi = u_{hi}, keeping relative accuracy in either tail. */
        double between(int lo, int hi) {
            if (logBelow[hi] == Double.NEGATIVE_INFINITY || logAbove[lo] == Double.NEGATIVE_INFINITY) {
                return 0;
            }
            if (logBelow[hi] <= LOG_HALF) { // both below the median
                return Math.exp(logBelow[hi]) * -Math.expm1(Math.min(0, logBelow[lo] - logBelow[hi]));
            }
            if (logAbove[lo] <= LOG_HALF) { // both above it
                return Math.exp(logAbove[lo]) * -Math.expm1(Math.min(0, logAbove[hi] - logAbove[lo]));
            }
            return Math.max(0, 1 - Math.exp(logBelow[lo]) - Math.exp(logAbove[hi]));
        }
    }

    private static final double LOG_HALF = Math.log(0.5);

    /** z with log Φ(−z) = logTail, by bisection (z ≥ 0 for logTail ≤ ln ½). */
    static double standardNormalUpperQuantile(double logTail) {
        double lo = 0;
        double hi = 1;
        while (LogMath.logNdtr(-hi) > logTail) {
            hi *= 2;
        }
        for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
            double mid = 0.5 * (lo + hi);
            if (LogMath.logNdtr(-mid) > logTail) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
