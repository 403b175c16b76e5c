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
 * The subsampled loss is L(ℓ) = ln(1 − q + q e^ℓ) (REMOVE) or −L(−ℓ) (ADD) of the unsubsampled Gaussian
 * loss ℓ. The grid of {@link #discretize} covers the losses of the outputs within z_τ standard deviations
 * of each component of P, where the noise has mass τ = e^{−50}/2 beyond z_τ (dp_accounting's truncation);
 * the mass outside goes to the lowest grid point or to +∞.
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

    /**
     * Grid indices [lo, hi] (times d) covering the losses of the outputs that hold all but τ of each
     * component of P: with μ = 1/(2σ²) and c = z_τ/σ, the unsubsampled loss ℓ ∈ [−μ − c, μ + c] for REMOVE
     * with q &lt; 1 (P mixes N(0, σ²) and N(−1, σ²)), and ℓ ∈ [μ − c, μ + c] otherwise (P is one Gaussian).
     */
    static long[] gridRange(double q, double sigma, Direction direction, double d) {
        double mu = 0.5 / (sigma * sigma);
        double c = TAIL_QUANTILE / sigma;
        double lowest = direction == Direction.REMOVE && q < 1 ? -mu - c : mu - c;
        double lo = loss(q, direction, lowest);
        double hi = loss(q, direction, mu + c);
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
        // P and Q as mixtures of the two components, as (log weight of base, log weight of shifted):
        // REMOVE: P = (1−q)·base + q·shifted, Q = base;  ADD: P = base, Q = (1−q)·base + q·shifted.
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        double none = Double.NEGATIVE_INFINITY;
        double[] upper = direction == Direction.REMOVE ? new double[] {log1mq, logQ} : new double[] {0, none};
        double[] lowerW = direction == Direction.REMOVE ? new double[] {0, none} : new double[] {log1mq, logQ};
        double[] logUpperMass = new double[n - 1];
        double[] logLowerMass = new double[n - 1];
        Cut previous = new Cut(half - sigma * unsubsampledLoss(q, direction, range[0] * d), shift);
        double below = Math.min(1, Math.exp(previous.mix(upper, false)));
        for (int i = 1; i < n; i++) { // interval (ε_{i−1}, ε_i]: u in [u_i, u_{i−1})
            Cut cut = new Cut(half - sigma * unsubsampledLoss(q, direction, (range[0] + i) * d), shift);
            double base = Cut.logBetween(cut.baseBelow, cut.baseAbove, previous.baseBelow, previous.baseAbove);
            double moved = Cut.logBetween(cut.shiftedBelow, cut.shiftedAbove, previous.shiftedBelow,
                    previous.shiftedAbove);
            logUpperMass[i - 1] = Math.min(0, LogMath.logAdd(upper[0] + base, upper[1] + moved));
            logLowerMass[i - 1] = Math.min(0, LogMath.logAdd(lowerW[0] + base, lowerW[1] + moved));
            previous = cut;
        }
        double logAboveLower = Math.min(0, previous.mix(lowerW, true));
        double top = delta(q, sigma, direction, range[1] * d);
        return PrivacyLossPmf.connectTheDots(d, range[0], below, logUpperMass, logLowerMass, logAboveLower, top);
    }

    /** log Φ(±u) and log Φ(±(u + shift)) at one standardised cut-off u, and differences of Φ. */
    private static final class Cut {
        final double baseBelow;    // log Φ(u)
        final double baseAbove;    // log Φ(−u)
        final double shiftedBelow; // log Φ(u + shift)
        final double shiftedAbove; // log Φ(−u − shift)

        Cut(double u, double shift) {
            double[] b = logTails(u);
            double[] s = logTails(u + shift);
            baseBelow = b[0];
            baseAbove = b[1];
            shiftedBelow = s[0];
            shiftedAbove = s[1];
        }

        /** {log Φ(u), log Φ(−u)}: the smaller tail directly (accurate far out), the other as log(1 − it). */
        private static double[] logTails(double u) {
            // u = ±∞ where a grid end lies beyond the range of the loss (e.g. REMOVE below ln(1−q)).
            double tail = Double.isInfinite(u) ? Double.NEGATIVE_INFINITY : LogMath.logNdtr(-Math.abs(u));
            double rest = Math.log1p(-Math.exp(tail));
            return u < 0 ? new double[] {tail, rest} : new double[] {rest, tail};
        }

        /** ln of the mixture's mass below (or above) u, for log weights {base, shifted}. */
        double mix(double[] logWeights, boolean belowCut) {
            return LogMath.logAdd(logWeights[0] + (belowCut ? baseBelow : baseAbove),
                    logWeights[1] + (belowCut ? shiftedBelow : shiftedAbove));
        }

        /** ln(Φ(hi) − Φ(lo)) for lo ≤ hi given as (log Φ(·), log Φ(−·)), accurate in either tail. */
        static double logBetween(double loBelow, double loAbove, double hiBelow, double hiAbove) {
            if (hiBelow == Double.NEGATIVE_INFINITY || loAbove == Double.NEGATIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
            if (hiBelow <= LOG_HALF) { // both below the median
                return hiBelow + Math.log(-Math.expm1(Math.min(0, loBelow - hiBelow)));
            }
            if (loAbove <= LOG_HALF) { // both above it
                return loAbove + Math.log(-Math.expm1(Math.min(0, hiAbove - loAbove)));
            }
            return Math.log(Math.max(0, 1 - Math.exp(loBelow) - Math.exp(hiAbove)));
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
