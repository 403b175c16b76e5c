package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import org.fedrec.privacy.PoissonGaussianPld.Direction;
import org.fedrec.privacy.internal.PrivacyLossPmf;

/**
 * Invariants of the PLD accountant over random (q, z, T, ε, δ), on a coarser grid (d = 1e-3) to keep them
 * fast. Where a property only holds for the exact mechanism (monotone in q and z), the slack is the
 * discretisation gap: the PLD's δ lies in [exact, exact·(1 + gap)]. The loss of a Gaussian step with noise
 * σ has scale 1/σ, so the grid resolves it to dσ and the chord error of connect-the-dots is second order,
 * {@code gap = 4(dσ)²}; measured: 1.9e-5 at σ = 4 and 3.0e-5 at σ = 6.4 (d = 1e-3), against 6.4e-5 and
 * 1.6e-4 allowed.
 */
class PldAccountantPropertiesTest {

    private static final double D = 1e-3;
    private static final double ROUND_OFF = 1e-12;

    private static double gap(double sigma) {
        return 4 * (D * sigma) * (D * sigma);
    }

    private static PldAccountant acc(double q, double z, long steps) {
        return PldAccountant.create(D).compose(q, z, steps);
    }

    @Property(tries = 25)
    void deltaFallsAsEpsilonGrows(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z, @ForAll @LongRange(min = 1, max = 300) long steps) {
        PldAccountant a = acc(Math.pow(10, log10q), z, steps);
        double previous = 1;
        for (double eps = 0; eps <= 20; eps += 0.173) {
            double delta = a.delta(eps);
            assertThat(delta).as("δ(%s)", eps).isBetween(0.0, 1.0).isLessThanOrEqualTo(previous + ROUND_OFF);
            previous = delta;
        }
    }

    @Property(tries = 25)
    void deltaGrowsWithSteps(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z, @ForAll @LongRange(min = 1, max = 200) long steps,
            @ForAll @LongRange(min = 1, max = 200) long more, @ForAll @DoubleRange(min = 0, max = 5) double eps) {
        double q = Math.pow(10, log10q);
        assertThat(acc(q, z, steps + more).delta(eps)).isGreaterThanOrEqualTo(acc(q, z, steps).delta(eps) - ROUND_OFF);
    }

    @Property(tries = 25)
    void deltaGrowsWithTheSamplingRate(@ForAll @DoubleRange(min = -3, max = 0) double log10q1,
            @ForAll @DoubleRange(min = -3, max = 0) double log10q2, @ForAll @DoubleRange(min = 0.5, max = 5) double z,
            @ForAll @LongRange(min = 1, max = 200) long steps, @ForAll @DoubleRange(min = 0, max = 5) double eps) {
        double lo = Math.pow(10, Math.min(log10q1, log10q2));
        double hi = Math.pow(10, Math.max(log10q1, log10q2));
        double dLo = acc(lo, z, steps).delta(eps);
        assertThat(acc(hi, z, steps).delta(eps)).as("q %s vs %s", lo, hi)
                .isGreaterThanOrEqualTo(dLo * (1 - gap(z)) - ROUND_OFF);
    }

    @Property(tries = 25)
    void deltaFallsAsNoiseGrows(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z1, @ForAll @DoubleRange(min = 0.5, max = 5) double z2,
            @ForAll @LongRange(min = 1, max = 200) long steps, @ForAll @DoubleRange(min = 0, max = 5) double eps) {
        double q = Math.pow(10, log10q);
        double dLessNoise = acc(q, Math.min(z1, z2), steps).delta(eps);
        assertThat(acc(q, Math.max(z1, z2), steps).delta(eps))
                .isLessThanOrEqualTo(dLessNoise * (1 + gap(Math.max(z1, z2))) + ROUND_OFF);
    }

    /**
     * Both bound the same exact ε from above; the RDP one through Rényi divergences, so it is never tighter
     * once the grid resolves a step. A subsampled step's loss is about q/z·N(0, 1), so at small q and large
     * z it is narrower than d = 1e-3: then the grid's error, compounded over the steps, can exceed RDP's
     * slack (measured: q = 1.1e-3, z = 4.76, T = 744 gave 0.0149 on d = 1e-3 against RDP's 0.0089, and
     * 0.0063 on d = 1e-4). So this property discretises at a quarter of the step's loss scale.
     */
    @Property(tries = 30)
    void pldEpsilonIsAtMostTheRdpEpsilon(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z, @ForAll @LongRange(min = 1, max = 1000) long steps,
            @ForAll @DoubleRange(min = -9, max = -3) double log10delta) {
        double q = Math.pow(10, log10q);
        double delta = Math.pow(10, log10delta);
        double resolvingGrid = Math.min(D, q / (4 * z));
        double pld = PldAccountant.create(resolvingGrid).compose(q, z, steps).epsilon(delta);
        double rdp = RdpAccountant.create().compose(q, z, steps).epsilon(delta, Conversion.IMPROVED).epsilon();
        assertThat(pld).as("PLD vs RDP ε").isLessThanOrEqualTo(rdp);
    }

    /**
     * Halving d refines the grid (every coarse point stays a grid point), and the connect-the-dots chord
     * on a finer partition lies below the coarser one; composition keeps that order. So a finer grid never
     * gives a larger δ or ε, up to round-off.
     */
    @Property(tries = 20)
    void aFinerGridNeverGivesALargerDeltaOrEpsilon(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z, @ForAll @LongRange(min = 1, max = 200) long steps,
            @ForAll @IntRange(min = 1, max = 3) int halvings, @ForAll @DoubleRange(min = 0, max = 5) double eps) {
        double q = Math.pow(10, log10q);
        double coarse = 8e-3;
        PldAccountant a = PldAccountant.create(coarse).compose(q, z, steps);
        PldAccountant b = PldAccountant.create(coarse / (1 << halvings)).compose(q, z, steps);
        assertThat(b.delta(eps)).isLessThanOrEqualTo(a.delta(eps) + ROUND_OFF);
        assertThat(b.epsilon(1e-6)).isLessThanOrEqualTo(a.epsilon(1e-6) + 1e-9);
    }

    /** The FFT self-composition of Gaussian steps is never below the exact composed Gaussian. */
    @Property(tries = 25)
    void composedGaussianStepsStayAboveTheExactCurve(@ForAll @DoubleRange(min = 0.5, max = 10) double sigma,
            @ForAll @LongRange(min = 2, max = 500) long steps, @ForAll @DoubleRange(min = 0, max = 10) double eps) {
        PrivacyLossPmf composed = PoissonGaussianPld.discretize(1, sigma, Direction.REMOVE, D, 1 << 24)
                .selfCompose(steps, PrivacyLossPmf.DEFAULT_TAIL_MASS);
        double exact = AnalyticGaussian.delta(sigma / Math.sqrt(steps), eps);
        assertThat(composed.delta(eps)).isGreaterThanOrEqualTo(exact - ROUND_OFF)
                .isLessThanOrEqualTo(exact * (1 + gap(sigma)) + ROUND_OFF);
    }

    @Property(tries = 25)
    void epsilonAndDeltaAreInverse(@ForAll @DoubleRange(min = -3, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.5, max = 5) double z, @ForAll @LongRange(min = 1, max = 300) long steps,
            @ForAll @DoubleRange(min = -9, max = -2) double log10delta) {
        PldAccountant a = acc(Math.pow(10, log10q), z, steps);
        double delta = Math.pow(10, log10delta);
        double eps = a.epsilon(delta);
        assertThat(a.delta(eps)).isLessThanOrEqualTo(delta * (1 + 1e-9));
        if (eps > 1e-6) {
            assertThat(a.delta(eps * (1 - 1e-6))).isGreaterThan(delta);
        }
    }
}
