package org.fedrec.privacy;

import static org.fedrec.privacy.internal.LogMath.binomialSign;
import static org.fedrec.privacy.internal.LogMath.logAbsBinomial;
import static org.fedrec.privacy.internal.LogMath.logAdd;
import static org.fedrec.privacy.internal.LogMath.logErfc;

import java.util.Arrays;

/**
 * Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism (each client, or record, is in a
 * round's cohort independently with probability q; Gaussian noise of standard deviation z·C is added to
 * the sum of updates clipped to L2 norm C).
 *
 * <p><b>Per-step RDP</b> (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled
 * Gaussian Mechanism", arXiv:1908.10530): at order α, {@code RDP(α) = ln(A_α)/(α−1)} with
 * {@code A_α = E_{x~N(0,σ²)}[((1−q) + q·exp((2x−1)/(2σ²)))^α]}, σ = z. For integer α (an α whose double
 * value is an integer, so 2.0 counts) the binomial expansion
 * {@code A_α = Σ_{i=0..α} C(α,i) q^i (1−q)^{α−i} exp((i²−i)/(2σ²))} (§3.2) is exact; for fractional α
 * the two series of §3.3 split at {@code z0 = σ² ln(1/q − 1) + ½} are summed as chosen by
 * {@link FractionalSeries} (exact signed series by default). Everything is in log space (log-add,
 * log1p(−q), log-gamma binomials, log-erfc), so orders up to a few thousand do not overflow.
 * Special cases: q = 0 gives 0; σ = 0 or α = ∞ gives +∞; q = 1 gives the plain Gaussian α/(2σ²);
 * α = 1 with 0 &lt; q &lt; 1 gives +∞ (the order is then ignored by the conversions).
 *
 * <p><b>Composition</b>: RDP adds over steps, so T identical steps give T·RDP(α) and heterogeneous
 * phases (different q or z) add order by order ({@link #compose}).
 *
 * <p><b>Conversion</b> to (ε, δ) and back: {@link Conversion#CLASSIC} or {@link Conversion#IMPROVED},
 * minimized over an {@link OrderGrid} (default {@link OrderGrid#TF_PRIVACY}).
 *
 * <p>Instances are immutable: {@link #compose} returns a new accountant. The computations are public
 * static functions. Arguments are checked and errors name the argument and its value.
 */
public final class RdpAccountant {

    /** Series terms below the running value by this much (in log space) are dropped. */
    private static final double LOG_TERM_CUTOFF = -30;
    /** dp_accounting gives up (RDP = +∞) after this many terms of the absolute series. */
    private static final int ABSOLUTE_SERIES_MAX_TERMS = 1000;
    /** A safety net for the signed series, which converges in far fewer terms in practice. */
    private static final int SIGNED_SERIES_MAX_TERMS = 100_000;
    private static final double MAX_NOISE_MULTIPLIER = 1e6;

    private final OrderGrid orders;
    private final FractionalSeries series;
    private final double[] rdp;
    private final long steps;

    private RdpAccountant(OrderGrid orders, FractionalSeries series, double[] rdp, long steps) {
        this.orders = orders;
        this.series = series;
        this.rdp = rdp;
        this.steps = steps;
    }

    /** An accountant with nothing spent, on {@link OrderGrid#DEFAULT} with the exact fractional series. */
    public static RdpAccountant create() {
        return create(OrderGrid.DEFAULT, FractionalSeries.SIGNED);
    }

    /** An accountant with nothing spent, on the given orders and fractional-order method. */
    public static RdpAccountant create(OrderGrid orders, FractionalSeries series) {
        requireNonNull(orders, "orders");
        requireNonNull(series, "series");
        return new RdpAccountant(orders, series, new double[orders.size()], 0);
    }

    /**
     * This accountant after {@code steps} more steps of the subsampled Gaussian with sampling rate
     * {@code q} and noise multiplier {@code z} (a new instance; this one is unchanged).
     */
    public RdpAccountant compose(double q, double z, long steps) {
        double[] added = rdp(q, z, steps, orders, series);
        double[] total = new double[rdp.length];
        for (int k = 0; k < total.length; k++) {
            total[k] = rdp[k] + added[k];
        }
        return new RdpAccountant(orders, series, total, Math.addExact(this.steps, steps));
    }

    public OrderGrid orders() {
        return orders;
    }

    public FractionalSeries series() {
        return series;
    }

    /** The number of steps composed so far. */
    public long steps() {
        return steps;
    }

    /** The RDP spent so far at each order of {@link #orders()} (a copy). */
    public double[] rdp() {
        return rdp.clone();
    }

    /** The smallest ε this accountant guarantees at {@code delta}, and the order attaining it. */
    public EpsilonDelta epsilon(double delta, Conversion conversion) {
        return epsilon(orders, rdp, delta, conversion);
    }

    /** The smallest δ this accountant guarantees at {@code epsilon}, and the order attaining it. */
    public EpsilonDelta delta(double epsilon, Conversion conversion) {
        return delta(orders, rdp, epsilon, conversion);
    }

    // ----------------------------------------------------------------------------------------------
    // Pure functions

    /** RDP at each order after {@code steps} identical steps: {@code steps · rdp(q, z, α)}. */
    public static double[] rdp(double q, double z, long steps, OrderGrid orders, FractionalSeries series) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        }
        requireNonNull(orders, "orders");
        double[] out = new double[orders.size()];
        for (int k = 0; k < out.length; k++) {
            double perStep = rdp(q, z, orders.order(k), series);
            out[k] = steps == 0 ? 0 : steps * perStep;
        }
        return out;
    }

    /**
     * RDP of one step of the Poisson-subsampled Gaussian at order {@code alpha}.
     *
     * @param q sampling rate in [0, 1]
     * @param z noise multiplier (noise standard deviation over L2 sensitivity), ≥ 0
     * @param alpha Rényi order, ≥ 1 or +∞
     * @param series how fractional orders are summed
     */
    public static double rdp(double q, double z, double alpha, FractionalSeries series) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in [0, 1], was " + q);
        }
        if (!(z >= 0)) {
            throw new IllegalArgumentException("noise multiplier z must be >= 0, was " + z);
        }
        if (!(alpha >= 1)) {
            throw new IllegalArgumentException("Rényi order alpha must be >= 1, was " + alpha);
        }
        requireNonNull(series, "series");
        if (q == 0 || z == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (alpha == Double.POSITIVE_INFINITY || z == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * z * z);
        }
        if (alpha == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double logA;
        if (alpha == Math.rint(alpha)) {
            if (alpha > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("integer Rényi order alpha is too large, was " + alpha);
            }
            logA = logAInteger(q, z, (int) alpha);
        } else if (series == FractionalSeries.SIGNED) {
            logA = logAFractionalSigned(q, z, alpha);
        } else {
            logA = logAFractionalAbsolute(q, z, alpha);
        }
        return Math.max(0, logA / (alpha - 1));
    }

    /** ln A_α for integer α by the binomial expansion. */
    static double logAInteger(double q, double sigma, int alpha) {
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        double twoSigma2 = 2 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= alpha; i++) {
            double di = i;
            double term = logAbsBinomial(alpha, i) + di * logQ + (alpha - di) * log1mq + (di * di - di) / twoSigma2;
            logA = logAdd(logA, term);
        }
        return logA;
    }

    /** One pair of terms (ln s0_i, ln s1_i) of the §3.3 series, without the binomial's sign. */
    private static void fractionalTerms(double q, double sigma, double alpha, int i, double z0, double[] out) {
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        double twoSigma2 = 2 * sigma * sigma;
        double sqrt2Sigma = Math.sqrt(2) * sigma;
        double logCoef = logAbsBinomial(alpha, i);
        double j = alpha - i;
        double logT0 = logCoef + i * logQ + j * log1mq;
        double logT1 = logCoef + j * logQ + i * log1mq;
        double logE0 = Math.log(0.5) + logErfc((i - z0) / sqrt2Sigma);
        double logE1 = Math.log(0.5) + logErfc((z0 - j) / sqrt2Sigma);
        out[0] = logT0 + ((double) i * i - i) / twoSigma2 + logE0;
        out[1] = logT1 + (j * j - j) / twoSigma2 + logE1;
    }

    /** ln A_α for fractional α: the exact signed series (Opacus, TF-Privacy ≤ 2022). */
    static double logAFractionalSigned(double q, double sigma, double alpha) {
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double[] s = new double[2];
        double[] a0 = {1, Double.NEGATIVE_INFINITY}; // {sign, log|value|}
        double[] a1 = {1, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < SIGNED_SERIES_MAX_TERMS; i++) {
            fractionalTerms(q, sigma, alpha, i, z0, s);
            int sign = binomialSign(alpha, i);
            signedAdd(a0, sign, s[0]);
            signedAdd(a1, sign, s[1]);
            if (Math.max(s[0], s[1]) < LOG_TERM_CUTOFF) {
                signedAdd(a0, (int) a1[0], a1[1]);
                return a0[0] > 0 ? a0[1] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** acc += sign·exp(logTerm), with acc = {sign, log|value|}. */
    private static void signedAdd(double[] acc, int sign, double logTerm) {
        if (logTerm == Double.NEGATIVE_INFINITY) {
            return;
        }
        if (acc[1] == Double.NEGATIVE_INFINITY) {
            acc[0] = sign;
            acc[1] = logTerm;
        } else if (acc[0] == sign) {
            acc[1] = logAdd(acc[1], logTerm);
        } else if (acc[1] > logTerm) {
            acc[1] = acc[1] + Math.log1p(-Math.exp(logTerm - acc[1]));
        } else if (acc[1] < logTerm) {
            acc[0] = sign;
            acc[1] = logTerm + Math.log1p(-Math.exp(acc[1] - logTerm));
        } else {
            acc[0] = 1;
            acc[1] = Double.NEGATIVE_INFINITY;
        }
    }

    /** ln A_α for fractional α: dp_accounting's (2024) absolute-value series, an upper bound. */
    static double logAFractionalAbsolute(double q, double sigma, double alpha) {
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double[] s = new double[2];
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double last0 = Double.NEGATIVE_INFINITY;
        double last1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ABSOLUTE_SERIES_MAX_TERMS; i++) {
            fractionalTerms(q, sigma, alpha, i, z0, s);
            logA0 = logAdd(logA0, s[0]);
            logA1 = logAdd(logA1, s[1]);
            double total = logAdd(logA0, logA1);
            if (s[0] < last0 && s[1] < last1 && Math.max(s[0], s[1]) < total + LOG_TERM_CUTOFF) {
                return total;
            }
            last0 = s[0];
            last1 = s[1];
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The smallest ε guaranteed at {@code delta} by the RDP curve {@code rdp} over {@code orders}, with
     * the order attaining it. δ = 0 gives ε = 0 if all RDP are 0, else +∞.
     */
    public static EpsilonDelta epsilon(OrderGrid orders, double[] rdp, double delta, Conversion conversion) {
        checkCurve(orders, rdp);
        if (!(delta >= 0 && delta <= 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1], was " + delta);
        }
        requireNonNull(conversion, "conversion");
        if (delta == 0) {
            boolean allZero = Arrays.stream(rdp).allMatch(r -> r == 0);
            return new EpsilonDelta(allZero ? 0 : Double.POSITIVE_INFINITY, 0, Double.NaN, conversion);
        }
        double logDelta = Math.log(delta);
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int k = 0; k < rdp.length; k++) {
            double a = orders.order(k);
            double r = rdp[k];
            double eps;
            if (conversion == Conversion.CLASSIC) {
                eps = r - logDelta / (a - 1);
            } else if (delta * delta + Math.expm1(-r) > 0) {
                eps = 0; // the KL bound δ ≤ sqrt(1 − exp(−RDP)) already holds
            } else if (a > 1.01 && a < Double.POSITIVE_INFINITY) {
                eps = r + Math.log1p(-1 / a) - (logDelta + Math.log(a)) / (a - 1);
            } else {
                eps = Double.POSITIVE_INFINITY;
            }
            if (eps < best) { // NaN never wins
                best = eps;
                bestOrder = a;
            }
        }
        return new EpsilonDelta(Math.max(0, best), delta, bestOrder, conversion);
    }

    /** The smallest δ guaranteed at {@code epsilon} by the RDP curve {@code rdp}, with the order attaining it. */
    public static EpsilonDelta delta(OrderGrid orders, double[] rdp, double epsilon, Conversion conversion) {
        checkCurve(orders, rdp);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        requireNonNull(conversion, "conversion");
        double bestLogDelta = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int k = 0; k < rdp.length; k++) {
            double a = orders.order(k);
            double r = rdp[k];
            double logDelta;
            if (conversion == Conversion.CLASSIC) {
                logDelta = (a - 1) * (r - epsilon);
            } else {
                logDelta = r == 0 ? Double.NEGATIVE_INFINITY : 0.5 * Math.log1p(-Math.exp(-r));
                if (a > 1.01 && a < Double.POSITIVE_INFINITY) {
                    logDelta = Math.min(logDelta, (a - 1) * (r - epsilon + Math.log1p(-1 / a)) - Math.log(a));
                }
            }
            if (logDelta < bestLogDelta) {
                bestLogDelta = logDelta;
                bestOrder = a;
            }
        }
        return new EpsilonDelta(epsilon, Math.min(1, Math.exp(bestLogDelta)), bestOrder, conversion);
    }

    /**
     * The smallest noise multiplier z (to a relative 1e-9, rounded up, so that ε(z) ≤ target) for which
     * {@code steps} steps at sampling rate {@code q} give at most {@code targetEpsilon} at {@code delta},
     * found by bisection (ε decreases in z).
     *
     * @throws IllegalArgumentException if an argument is out of range or no z up to 1e6 suffices
     */
    public static double noiseMultiplier(double q, long steps, double delta, double targetEpsilon,
            OrderGrid orders, FractionalSeries series, Conversion conversion) {
        checkNoiseSearch(q, steps, delta, targetEpsilon);
        requireNonNull(orders, "orders");
        requireNonNull(series, "series");
        requireNonNull(conversion, "conversion");
        double hi = 1;
        while (epsilonAt(q, hi, steps, delta, orders, series, conversion) > targetEpsilon) {
            hi *= 2;
            if (hi > MAX_NOISE_MULTIPLIER) {
                throw new IllegalArgumentException("no noise multiplier z <= " + MAX_NOISE_MULTIPLIER
                        + " reaches target epsilon " + targetEpsilon + " for q=" + q + ", steps=" + steps
                        + ", delta=" + delta + " on " + orders);
            }
        }
        double lo = hi / 2;
        while (epsilonAt(q, lo, steps, delta, orders, series, conversion) <= targetEpsilon) {
            hi = lo;
            lo /= 2;
            if (lo < 1e-12) {
                return hi;
            }
        }
        while (hi - lo > 1e-9 * hi) {
            double mid = 0.5 * (lo + hi);
            if (epsilonAt(q, mid, steps, delta, orders, series, conversion) <= targetEpsilon) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** The arguments every noise-multiplier search shares (this one and {@link PldAccountant}'s). */
    static void checkNoiseSearch(double q, long steps, double delta, double targetEpsilon) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in (0, 1], was " + q);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
        }
        if (!(targetEpsilon > 0 && targetEpsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("target epsilon must be > 0 and finite, was " + targetEpsilon);
        }
    }

    private static double epsilonAt(double q, double z, long steps, double delta, OrderGrid orders,
            FractionalSeries series, Conversion conversion) {
        return epsilon(orders, rdp(q, z, steps, orders, series), delta, conversion).epsilon();
    }

    private static void checkCurve(OrderGrid orders, double[] rdp) {
        requireNonNull(orders, "orders");
        requireNonNull(rdp, "rdp");
        if (rdp.length != orders.size()) {
            throw new IllegalArgumentException("rdp must have one value per order: expected " + orders.size()
                    + ", was " + rdp.length);
        }
        for (int k = 0; k < rdp.length; k++) {
            if (!(rdp[k] >= 0)) {
                throw new IllegalArgumentException("RDP must be >= 0 (or +Infinity), was rdp[" + k + "] = " + rdp[k]
                        + " at order " + orders.order(k));
            }
        }
    }

    private static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    @Override
    public String toString() {
        return "RdpAccountant[" + steps + " steps, " + orders + ", " + series + "]";
    }
}
