package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of the accountant over random (q, z, steps, δ), on the default grid with fractional orders. */
class RdpAccountantPropertiesTest {

    private static final OrderGrid GRID = OrderGrid.DEFAULT;
    private static final double SLACK = 1e-12;

    @Property(tries = 200)
    void rdpGrowsWithSteps(@ForAll @DoubleRange(min = -5, max = 0) double log10q,
            @ForAll @DoubleRange(min = 0.3, max = 10) double z,
            @ForAll @LongRange(min = 0, max = 100_000) long steps,
            @ForAll @LongRange(min = 1, max = 100_000) long more) {
        double q = Math.pow(10, log10q);
        double[] fewer = RdpAccountant.rdp(q, z, steps, GRID, FractionalSeries.SIGNED);
        double[] moreSteps = RdpAccountant.rdp(q, z, steps + more, GRID, FractionalSeries.SIGNED);
        for (int k = 0; k < GRID.size(); k++) {
            assertThat(moreSteps[k]).as("order %s", GRID.order(k)).isGreaterThanOrEqualTo(fewer[k]);
        }
    }

    @Property(tries = 200)
    void rdpGrowsWithSamplingRate(@ForAll @DoubleRange(min = -5, max = 0) double log10q1,
            @ForAll @DoubleRange(min = -5, max = 0) double log10q2,
            @ForAll @DoubleRange(min = 0.3, max = 10) double z) {
        double lo = Math.pow(10, Math.min(log10q1, log10q2));
        double hi = Math.pow(10, Math.max(log10q1, log10q2));
        // Only the exact series: dp_accounting's absolute-value bound is not monotone in q (it may give up,
        // and near q = 1 it overshoots the closed form: at α=1.25, z≈0.3, q=0.81 it exceeds q=1).
        for (int k = 0; k < GRID.size(); k++) {
            double a = GRID.order(k);
            double rLo = RdpAccountant.rdp(lo, z, a, FractionalSeries.SIGNED);
            double rHi = RdpAccountant.rdp(hi, z, a, FractionalSeries.SIGNED);
            assertThat(rHi).as("order %s, q %s vs %s", a, lo, hi).isGreaterThanOrEqualTo(rLo * (1 - 1e-9) - SLACK);
        }
    }

    @Property(tries = 100)
    void epsilonFallsAsNoiseGrows(@ForAll @DoubleRange(min = -4, max = -0.3) double log10q,
            @ForAll @DoubleRange(min = 0.4, max = 10) double z1,
            @ForAll @DoubleRange(min = 0.4, max = 10) double z2,
            @ForAll @LongRange(min = 1, max = 50_000) long steps,
            @ForAll @DoubleRange(min = -9, max = -2) double log10delta) {
        double q = Math.pow(10, log10q);
        double delta = Math.pow(10, log10delta);
        double lo = Math.min(z1, z2);
        double hi = Math.max(z1, z2);
        for (Conversion c : Conversion.values()) {
            double epsLessNoise = RdpAccountant.create().compose(q, lo, steps).epsilon(delta, c).epsilon();
            double epsMoreNoise = RdpAccountant.create().compose(q, hi, steps).epsilon(delta, c).epsilon();
            assertThat(epsMoreNoise).as("%s, z %s vs %s", c, lo, hi).isLessThanOrEqualTo(epsLessNoise * (1 + 1e-12));
        }
    }

    @Property(tries = 40)
    void noiseMultiplierForTargetEpsilonRoundTrips(@ForAll @DoubleRange(min = -4, max = -0.7) double log10q,
            @ForAll @LongRange(min = 1, max = 20_000) long steps,
            @ForAll @DoubleRange(min = -8, max = -3) double log10delta,
            @ForAll @DoubleRange(min = 0.2, max = 20) double target) {
        double q = Math.pow(10, log10q);
        double delta = Math.pow(10, log10delta);
        for (Conversion c : Conversion.values()) {
            double z = RdpAccountant.noiseMultiplier(q, steps, delta, target, GRID, FractionalSeries.SIGNED, c);
            double at = RdpAccountant.create().compose(q, z, steps).epsilon(delta, c).epsilon();
            double justBelow = RdpAccountant.create().compose(q, z * (1 - 1e-6), steps).epsilon(delta, c).epsilon();
            assertThat(at).as("%s: ε at z=%s", c, z).isLessThanOrEqualTo(target);
            if (at > 0) {
                // Where the improved conversion's KL bound applies, epsilon drops to 0 at a threshold in z
                // instead of falling continuously, so closeness to the target only holds above 0.
                assertThat(at).as("%s: ε at z=%s", c, z).isCloseTo(target, org.assertj.core.data.Offset.offset(1e-4 * target));
            }
            assertThat(justBelow).as("%s: ε just below z=%s", c, z).isGreaterThan(target);
        }
    }
}
