package org.fedrec.privacy.internal;

/**
 * A discrete privacy loss distribution (PLD): probability {@code p_i} on the privacy loss
 * {@code ℓ_i = (lower + i)·d}, i = 0..n−1, on a grid of spacing d, plus a mass {@code p_∞} on +∞.
 * The distribution of ln(P(o)/Q(o)) for o ~ P of a pair (P, Q), whose hockey-stick divergence is
 *
 * <pre>  δ(ε) = p_∞ + Σ_{ℓ_i &gt; ε} p_i (1 − e^{ε − ℓ_i})</pre>
 *
 * (Sommer, Meiser, Mohammadi 2019; Koskela, Jälkö, Honkela 2020). Composition of mechanisms is the
 * convolution of their PLDs ({@link #compose}, {@link #selfCompose}, by FFT as in Koskela et al. 2020/2021).
 * Mass may be left in the grid by the discretisation; the total is 1 up to round-off.
 *
 * <p>Immutable. Every operation that drops mass (tail truncation) moves it to a larger loss or to +∞, so
 * the δ of the result is never below that of the exact operation (a pessimistic estimate).
 */
public final class PrivacyLossPmf {

    /** Bound on the probability mass dropped from each end of a composition (dp_accounting's default). */
    public static final double DEFAULT_TAIL_MASS = 1e-15;

    private static final int CHERNOFF_ORDERS = 20;

    private final double d;
    private final long lower;
    private final double[] probs;
    private final double infinityMass;

    private PrivacyLossPmf(double d, long lower, double[] probs, double infinityMass) {
        this.d = d;
        this.lower = lower;
        this.probs = probs;
        this.infinityMass = infinityMass;
    }

    /**
     * A PLD with {@code probs[i]} on loss {@code (lower + i)·d} and {@code infinityMass} on +∞ (the array
     * is copied).
     */
    public static PrivacyLossPmf of(double d, long lower, double[] probs, double infinityMass) {
        checkDiscretization(d);
        if (probs.length == 0) {
            throw new IllegalArgumentException("a PLD needs at least one grid point");
        }
        for (int i = 0; i < probs.length; i++) {
            if (!(probs[i] >= 0 && probs[i] <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1], was probs[" + i + "] = "
                        + probs[i]);
            }
        }
        if (!(infinityMass >= 0 && infinityMass <= 1)) {
            throw new IllegalArgumentException("mass at infinity must be in [0, 1], was " + infinityMass);
        }
        return new PrivacyLossPmf(d, lower, probs.clone(), infinityMass);
    }

    /** The PLD of a mechanism that reveals nothing: all mass on loss 0. */
    public static PrivacyLossPmf identity(double d) {
        checkDiscretization(d);
        return new PrivacyLossPmf(d, 0, new double[] {1}, 0);
    }

    /**
     * The pessimistic connect-the-dots PLD (Doroshenko, Ghazi, Kamath, Kumar, Manurangsi 2022, "Connect the
     * Dots: Tighter Discrete Approximations of Privacy Loss Distributions", Algorithm 1) on the grid
     * {@code ε_i = (lower + i)·d}, i = 0..n−1, of a mechanism with privacy loss L under P (and Q = e^{−L}P).
     * Algorithm 1 is stated through the exact hockey-stick divergences δ_i = δ(ε_i):
     *
     * <pre>
     *   p_0 = 1 − δ_0 + (δ_1 − δ_0)/(e^d − 1),   p_i = ((δ_{i+1} − δ_i) − e^d (δ_i − δ_{i−1}))/(e^d − 1),
     *   p_{n−1} = (δ_{n−1} − δ_{n−2})/(e^{−d} − 1),   p_∞ = δ_{n−1};
     * </pre>
     *
     * the same PLD is built here from the masses of the intervals, which avoids dividing second
     * differences of δ (O(1) where the loss is low) by e^d − 1: each interval (ε_i, ε_{i+1}] with P-mass
     * {@code U_i} and Q-mass {@code W_i} sends {@code U_i·(e^{r_i} − 1)/(e^d − 1)} to ε_i and the rest,
     * {@code U_i·(e^d − e^{r_i})/(e^d − 1)}, to ε_{i+1}, where {@code r_i = ε_{i+1} + ln W_i − ln U_i} lies in
     * [0, d] (the split that keeps both masses); P(L ≤ ε_0) goes to ε_0; of P(L &gt; ε_{n−1}),
     * {@code e^{ε_{n−1}}·Q(L > ε_{n−1})} goes to ε_{n−1} and δ_{n−1} to +∞. Expanding δ_i in U, W shows the
     * two agree term by term. The masses come as logarithms, so neither e^ε nor tiny Q-masses overflow or
     * underflow. Its δ(ε) equals δ_i at the grid points and is linear in e^ε between them (the chord of the
     * convex e^ε ↦ δ, so never below the exact curve), and δ_{n−1} beyond the grid.
     *
     * @param belowMass         P(L ≤ ε_0)
     * @param logUpperMass      ln U_i = ln P(ε_i &lt; L ≤ ε_{i+1}), i = 0..n−2 (−∞ for an empty interval)
     * @param logLowerMass      ln W_i = ln Q(ε_i &lt; L ≤ ε_{i+1}), i = 0..n−2
     * @param logAboveLowerMass ln Q(L &gt; ε_{n−1})
     * @param deltaAtTop        δ(ε_{n−1}) = P(L &gt; ε_{n−1}) − e^{ε_{n−1}} Q(L &gt; ε_{n−1}), the mass at +∞
     */
    public static PrivacyLossPmf connectTheDots(double d, long lower, double belowMass, double[] logUpperMass,
            double[] logLowerMass, double logAboveLowerMass, double deltaAtTop) {
        checkDiscretization(d);
        if (logUpperMass.length != logLowerMass.length) {
            throw new IllegalArgumentException("interval masses must be equally many under P and Q, were "
                    + logUpperMass.length + " and " + logLowerMass.length);
        }
        checkMass("mass below the grid", belowMass);
        checkLogMass("log Q-mass above the grid", logAboveLowerMass);
        checkMass("delta at the top of the grid", deltaAtTop);
        int n = logUpperMass.length + 1;
        double[] p = new double[n];
        double em1 = Math.expm1(d);
        p[0] = belowMass;
        for (int i = 0; i < n - 1; i++) {
            checkLogMass("logUpperMass[" + i + "]", logUpperMass[i]);
            checkLogMass("logLowerMass[" + i + "]", logLowerMass[i]);
            if (logUpperMass[i] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double u = Math.exp(logUpperMass[i]);
            double r = (lower + i + 1) * d + logLowerMass[i] - logUpperMass[i];
            double toLower = Math.expm1(Math.min(d, Math.max(0, r))) / em1; // share of U_i sent down
            p[i] += u * toLower;
            p[i + 1] += u * (1 - toLower);
        }
        p[n - 1] += Math.exp((lower + n - 1) * d + logAboveLowerMass);
        for (int i = 0; i < n; i++) {
            p[i] = Math.min(1, p[i]);
        }
        return new PrivacyLossPmf(d, lower, p, deltaAtTop);
    }

    private static void checkLogMass(String name, double logMass) {
        if (!(logMass <= 0)) {
            throw new IllegalArgumentException(name + " must be the log of a probability (<= 0), was " + logMass);
        }
    }

    private static void checkMass(String name, double mass) {
        if (!(mass >= 0 && mass <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + mass);
        }
    }

    public double discretization() {
        return d;
    }

    /** The grid index of {@code probs()[0]}: its loss is {@code lowerIndex()·d}. */
    public long lowerIndex() {
        return lower;
    }

    /** Number of grid points. */
    public int size() {
        return probs.length;
    }

    /** The probabilities on the grid (a copy). */
    public double[] probs() {
        return probs.clone();
    }

    public double infinityMass() {
        return infinityMass;
    }

    /** The loss of grid point i. */
    public double loss(int i) {
        return (lower + i) * d;
    }

    /**
     * The hockey-stick divergence {@code δ(ε) = p_∞ + Σ_{ℓ_i > ε} p_i (1 − e^{ε−ℓ_i})} for any real ε
     * (+∞ gives p_∞), capped at 1.
     */
    public double delta(double epsilon) {
        if (Double.isNaN(epsilon)) {
            throw new IllegalArgumentException("epsilon must not be NaN");
        }
        double sum = 0;
        for (int i = probs.length - 1; i >= 0; i--) {
            double loss = loss(i);
            if (loss <= epsilon) {
                break;
            }
            sum += probs[i] * -Math.expm1(epsilon - loss);
        }
        return Math.min(1, infinityMass + sum);
    }

    /**
     * The smallest ε ≥ 0 with {@code δ(ε) ≤ delta} (+∞ when p_∞ &gt; delta). Between adjacent grid losses
     * δ(ε) = U − e^ε·W with U, W the masses above (W weighted by e^{−ℓ}), so the crossing is solved in
     * closed form: ε = ln((U − δ)/W). W is kept relative to the current grid loss (as W·e^{ℓ_i}), so
     * losses in the thousands neither overflow nor underflow.
     */
    public double epsilon(double delta) {
        if (!(delta >= 0 && delta <= 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1], was " + delta);
        }
        if (infinityMass > delta) {
            return Double.POSITIVE_INFINITY;
        }
        double upper = infinityMass; // U: mass with loss above the current segment's lower end ℓ_i
        double scaled = 0;           // W·e^{ℓ_i}: that mass weighted by e^{ℓ_i − loss}
        double decay = Math.exp(-d);
        for (int i = probs.length - 1; i >= 0; i--) {
            if (i < probs.length - 1) {
                scaled = (scaled + probs[i + 1]) * decay; // from ℓ_{i+1} down to ℓ_i
            }
            // Segment [ℓ_i, ℓ_{i+1}): δ(ε) = U − e^{ε−ℓ_i}·scaled, with the points above ℓ_i in U.
            double li = loss(i);
            double from = Math.max(li, 0);
            if (upper - Math.exp(from - li) * scaled > delta) {
                return Math.max(from, li + Math.log((upper - delta) / scaled)); // in (from, ℓ_{i+1}]
            }
            if (li <= 0) {
                return 0;
            }
            upper += probs[i];
        }
        // Below the grid, which starts above 0: δ(ε) = U − e^{ε−ℓ_0}·(scaled + p_0).
        double l0 = loss(0);
        double all = scaled + probs[0];
        if (upper - Math.exp(-l0) * all > delta) {
            return Math.max(0, l0 + Math.log((upper - delta) / all));
        }
        return 0;
    }
    /**
     * The PLD of this mechanism followed by {@code other} (the convolution of the two, by FFT), with at
     * most {@code tailMass}/2 dropped from each end: the low end's mass is moved onto the lowest point kept
     * and the high end's onto +∞. {@code p_∞ = 1 − (1 − p_∞)(1 − p'_∞)} plus the high tail.
     */
    public PrivacyLossPmf compose(PrivacyLossPmf other, double tailMass) {
        checkComposable(other);
        checkTailMass(tailMass);
        double[] conv = clipNegative(Fft.convolve(probs, other.probs));
        double inf = infinityMass + other.infinityMass - infinityMass * other.infinityMass;
        return truncated(lower + other.lower, conv, inf, tailMass);
    }

    /**
     * The PLD of {@code times} runs of this mechanism: the {@code times}-fold self-convolution, by one FFT,
     * a pointwise power and one inverse FFT (Koskela et al. 2020; dp_accounting's {@code self_compose}).
     * Only the index window that Chernoff bounds show to hold all but {@code tailMass} of the result is
     * computed ({@code P(S ≥ k) ≤ M(t)^T e^{−tk}} at 20 orders t of each sign); the circle of the cyclic
     * convolution is at least as long as that window, so the mass outside wraps onto it, and
     * {@code tailMass} is added to p_∞ whenever the window is narrower than the full support:
     * {@code p_∞ = 1 − (1 − p_∞)^T (+ tailMass)}. For many counts of the same PLD use {@link #selfComposer}.
     */
    public PrivacyLossPmf selfCompose(long times, double tailMass) {
        return selfComposer(tailMass).compose(times);
    }

    /** A {@link SelfComposer} of this PLD, for {@link #selfCompose} at many counts. */
    public SelfComposer selfComposer(double tailMass) {
        checkTailMass(tailMass);
        return new SelfComposer(this, tailMass);
    }

    /**
     * {@link #selfCompose} of one PLD at growing counts, as round-by-round accounting asks: the spectrum of
     * the PLD, its power at the last count and the moment generating functions of the Chernoff window are
     * kept, so going from T to T + 1 costs one complex multiplication per frequency and one inverse FFT.
     * The circle only grows (a longer circle only wraps less mass). Results equal a fresh
     * {@link #selfCompose} up to round-off (about 1e-12 relative after a thousand steps). Thread-safe.
     */
    public static final class SelfComposer {
        private final PrivacyLossPmf step;
        private final double tailMass;
        private final double[] orders;    // t_j, per grid index
        private final double[] logMgf;    // ln Σ_i p_i e^{t_j i}
        private int length;               // the circle, 0 before the first transform
        private double[][] stepSpectrum;  // half spectrum of the step on the circle
        private double[][] power;         // its power at powerTimes
        private long powerTimes;
        private double[] scratchRe;       // for the inverse transform, reused at one circle length
        private double[] scratchIm;
        private double[] cyclic;

        private SelfComposer(PrivacyLossPmf step, double tailMass) {
            this.step = step;
            this.tailMass = tailMass;
            int n = step.probs.length;
            orders = new double[2 * CHERNOFF_ORDERS];
            logMgf = new double[orders.length];
            for (int j = 0; j < orders.length; j++) {
                double t = (j < CHERNOFF_ORDERS ? j - CHERNOFF_ORDERS : j - CHERNOFF_ORDERS + 1) / (double) n;
                orders[j] = t; // |t·i| ≤ 20: no overflow
                double stepFactor = Math.exp(t);
                double running = 1;
                double mgf = 0;
                for (int i = 0; i < n; i++) {
                    if ((i & 1023) == 0) {
                        running = Math.exp(t * i); // re-anchor the running power e^{t·i}
                    }
                    mgf += step.probs[i] * running;
                    running *= stepFactor;
                }
                logMgf[j] = Math.log(mgf);
            }
        }

        /** The PLD of {@code times} ≥ 1 runs of the step. */
        public synchronized PrivacyLossPmf compose(long times) {
            if (times < 1) {
                throw new IllegalArgumentException("times must be >= 1, was " + times);
            }
            if (times == 1) {
                return step;
            }
            int n = step.probs.length;
            long fullHigh = Math.multiplyExact(n - 1L, times);
            long from = 0;
            long to = fullHigh;
            if (tailMass > 0) { // [from, to]: relative indices holding all but tailMass/2 on each side
                double logBound = Math.log(2 / tailMass);
                for (int j = 0; j < orders.length; j++) {
                    double bound = (times * logMgf[j] + logBound) / orders[j];
                    if (!Double.isFinite(bound)) {
                        continue;
                    }
                    if (orders[j] > 0) {
                        to = Math.min(to, (long) Math.ceil(bound));
                    } else {
                        from = Math.max(from, (long) Math.floor(bound));
                    }
                }
                if (from > to) { // only when almost no mass is left; keep one point
                    from = to = Math.max(0, Math.min(fullHigh, to));
                }
            }
            long windowLength = to - from + 1;
            int needed = Fft.powerOfTwoAtLeast(Math.max(2, Math.max(windowLength, n)));
            if (needed > length) {
                length = needed;
                stepSpectrum = Fft.realForward(step.probs, length);
                power = null;
                scratchRe = new double[length / 2];
                scratchIm = new double[length / 2];
                cyclic = new double[length];
            }
            if (power == null || times < powerTimes) {
                power = new double[][] {stepSpectrum[0].clone(), stepSpectrum[1].clone()};
                Fft.raise(power[0], power[1], times);
            } else if (times == powerTimes + 1) { // the next round: no allocation
                Fft.multiply(power[0], power[1], stepSpectrum[0], stepSpectrum[1]);
            } else if (times > powerTimes) {
                double[][] more = {stepSpectrum[0].clone(), stepSpectrum[1].clone()};
                Fft.raise(more[0], more[1], times - powerTimes);
                Fft.multiply(power[0], power[1], more[0], more[1]);
            }
            powerTimes = times;
            Fft.realInverse(power[0], power[1], length, scratchRe, scratchIm, cyclic);
            double[] out = new double[(int) windowLength];
            int start = (int) Math.floorMod(from, (long) length);
            for (int k = 0; k < out.length; k++) {
                out[k] = Math.max(0, cyclic[(start + k) & (length - 1)]);
            }
            boolean truncated = from > 0 || to < fullHigh;
            double inf = -Math.expm1(times * Math.log1p(-step.infinityMass)) + (truncated ? tailMass : 0);
            long newLower = Math.addExact(Math.multiplyExact(step.lower, times), from);
            return new PrivacyLossPmf(step.d, newLower, out, Math.min(1, inf));
        }
    }

    private PrivacyLossPmf truncated(long newLower, double[] p, double inf, double tailMass) {
        if (tailMass == 0) {
            return new PrivacyLossPmf(d, newLower, p, Math.min(1, inf));
        }
        int left = 0;
        double leftMass = 0;
        while (left < p.length - 1 && leftMass + p[left] <= tailMass / 2) {
            leftMass += p[left];
            left++;
        }
        int right = p.length; // exclusive
        double rightMass = 0;
        while (right - 1 > left && rightMass + p[right - 1] <= tailMass / 2) {
            rightMass += p[right - 1];
            right--;
        }
        double[] kept = new double[right - left];
        System.arraycopy(p, left, kept, 0, kept.length);
        kept[0] += leftMass;
        return new PrivacyLossPmf(d, newLower + left, kept, Math.min(1, inf + rightMass));
    }

    private static double[] clipNegative(double[] p) {
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, p[i]);
        }
        return p;
    }

    private void checkComposable(PrivacyLossPmf other) {
        if (other == null) {
            throw new IllegalArgumentException("the PLD to compose with must not be null");
        }
        if (other.d != d) {
            throw new IllegalArgumentException("PLDs on different grids cannot be composed: discretization " + d
                    + " vs " + other.d);
        }
    }

    private static void checkTailMass(double tailMass) {
        if (!(tailMass >= 0 && tailMass < 1)) {
            throw new IllegalArgumentException("tail mass must be in [0, 1), was " + tailMass);
        }
    }

    private static void checkDiscretization(double d) {
        if (!(d > 0 && d < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("discretization interval must be > 0 and finite, was " + d);
        }
    }

    @Override
    public String toString() {
        return "PrivacyLossPmf[" + probs.length + " points from loss " + loss(0) + " step " + d + ", p_inf="
                + infinityMass + "]";
    }
}
