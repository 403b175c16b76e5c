package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fedrec.privacy.PoissonGaussianPld.Direction;
import org.fedrec.privacy.internal.PrivacyLossPmf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PLD accountant against the exact Gaussian, the exact one-step curves, and its own bookkeeping. */
class PldAccountantTest {

    private static final double D = PldAccountant.DEFAULT_DISCRETIZATION;

    /**
     * T Gaussian steps composed by FFT (not merged) against the exact δ of noise σ/√T (Balle–Wang): the
     * pessimistic PLD is never below it and, at d = 1e-4, within 1e-6 relative (the largest gap measured
     * over these cases is 1.9e-7, at σ = 4, T = 4, ε = 2).
     */
    @ParameterizedTest(name = "σ={0} T={1} ε={2}")
    @CsvSource({"0.8, 4, 0", "0.8, 4, 2", "0.8, 25, 0.5", "1.5, 4, 0.5", "1.5, 25, 2", "4, 4, 0", "4, 4, 2",
        "4, 25, 0.5", "2, 100, 1"})
    void fftCompositionOfGaussianStepsIsAboveAndCloseToTheAnalyticGaussian(double sigma, long steps, double eps) {
        PrivacyLossPmf composed = PoissonGaussianPld.discretize(1, sigma, Direction.REMOVE, D, 1 << 24)
                .selfCompose(steps, PrivacyLossPmf.DEFAULT_TAIL_MASS);
        double exact = AnalyticGaussian.delta(sigma / Math.sqrt(steps), eps);
        assertThat(composed.delta(eps)).isGreaterThanOrEqualTo(exact - 1e-13)
                .isLessThanOrEqualTo(exact * (1 + 1e-6) + 1e-13);
    }

    @ParameterizedTest(name = "σ={0} T={1} δ={2}")
    @CsvSource({"1, 1, 1e-5", "0.7, 2, 1e-5", "3, 10, 1e-6", "10, 1000, 1e-8", "0.5, 3, 0.1"})
    void accountantWithSamplingRateOneMatchesTheAnalyticGaussian(double sigma, long steps, double delta) {
        PldAccountant acc = PldAccountant.create().compose(1, sigma, steps);
        double sigmaT = sigma / Math.sqrt(steps);
        double exactEps = AnalyticGaussian.epsilon(sigmaT, delta);
        assertThat(acc.epsilon(delta)).isGreaterThanOrEqualTo(exactEps - 1e-9).isLessThanOrEqualTo(exactEps + 1e-8);
        for (double eps : new double[] {0, 0.3, 1, 4}) {
            double exact = AnalyticGaussian.delta(sigmaT, eps);
            assertThat(acc.delta(eps)).as("δ(%s)", eps).isGreaterThanOrEqualTo(exact - 1e-13)
                    .isLessThanOrEqualTo(exact * (1 + 1e-9) + 1e-13);
        }
    }

    @Test
    void manyFullParticipationRoundsGiveLossesInTheHundredsWithoutOverflow() {
        // q = 1, z = 1, 1000 rounds: one Gaussian of noise 1/√1000, privacy loss ~ N(500, 1000).
        PldAccountant acc = PldAccountant.create(1e-3).compose(1, 1, 1000);
        double exact = AnalyticGaussian.epsilon(1 / Math.sqrt(1000), 1e-5);
        assertThat(exact).isGreaterThan(600);
        assertThat(acc.epsilon(1e-5)).isGreaterThanOrEqualTo(exact - 1e-9).isLessThanOrEqualTo(exact + 1e-6);
        assertThat(acc.delta(exact)).isCloseTo(1e-5, within(1e-11));
    }

    @Test
    void gaussianPhasesMergeIntoOneNoiseExactly() {
        // 3 steps of σ = 2 and 2 of σ = 1.5: one Gaussian with σ^−2 = 3/4 + 2/2.25.
        PldAccountant acc = PldAccountant.create().compose(1, 2, 3).compose(1, 1.5, 2);
        double sigma = 1 / Math.sqrt(3 / 4.0 + 2 / 2.25);
        assertThat(acc.delta(1)).isCloseTo(AnalyticGaussian.delta(sigma, 1), within(1e-12));
        assertThat(acc.steps()).isEqualTo(5);
    }

    @ParameterizedTest(name = "q={0} z={1} ε={2}")
    @CsvSource({"0.01, 0.7, 0.5", "0.2, 0.5, 1", "0.2, 0.5, 0.05", "0.5, 2, 0.3", "0.001, 1, 0.0004"})
    void oneSubsampledStepIsTheLargerExactDirectionRoundedUpToTheGrid(double q, double z, double eps) {
        PldAccountant acc = PldAccountant.create().compose(q, z, 1);
        double exact = Math.max(PoissonGaussianPld.delta(q, z, Direction.REMOVE, eps),
                PoissonGaussianPld.delta(q, z, Direction.ADD, eps));
        double atGridBelow = Math.max(PoissonGaussianPld.delta(q, z, Direction.REMOVE, Math.floor(eps / D) * D),
                PoissonGaussianPld.delta(q, z, Direction.ADD, Math.floor(eps / D) * D));
        assertThat(acc.delta(eps)).isGreaterThanOrEqualTo(exact - 1e-13).isLessThanOrEqualTo(atGridBelow + 1e-13);
    }

    @Test
    void composingInEitherOrderGivesTheSameGuarantee() {
        PldAccountant ab = PldAccountant.create(1e-3).compose(0.1, 1, 20).compose(1, 3, 2).compose(0.3, 2, 5);
        PldAccountant ba = PldAccountant.create(1e-3).compose(0.3, 2, 5).compose(1, 3, 2).compose(0.1, 1, 20);
        assertThat(ab.epsilon(1e-6)).isCloseTo(ba.epsilon(1e-6), within(1e-9));
        assertThat(ab.delta(1)).isCloseTo(ba.delta(1), within(1e-12));
        // Each phase alone guarantees less.
        assertThat(ab.epsilon(1e-6)).isGreaterThan(PldAccountant.create(1e-3).compose(0.1, 1, 20).epsilon(1e-6));
    }

    @Test
    void consecutiveStepsOfOneMechanismMergeAndSeparatedOnesShareTheirDiscretisation() {
        PldAccountant split = PldAccountant.create(1e-3).compose(0.05, 1.2, 30).compose(0.05, 1.2, 70);
        PldAccountant whole = PldAccountant.create(1e-3).compose(0.05, 1.2, 100);
        assertThat(split.epsilon(1e-5)).isEqualTo(whole.epsilon(1e-5));
        assertThat(split.steps()).isEqualTo(100);
        PldAccountant around = PldAccountant.create(1e-3).compose(0.05, 1.2, 30).compose(0.5, 3, 4)
                .compose(0.05, 1.2, 70);
        PldAccountant grouped = whole.compose(0.5, 3, 4);
        assertThat(around.epsilon(1e-5)).isCloseTo(grouped.epsilon(1e-5), within(1e-9));
    }

    @Test
    void nothingSpentNoSamplingAndNoNoise() {
        assertThat(PldAccountant.create().epsilon(1e-5)).isZero();
        assertThat(PldAccountant.create().delta(0)).isZero();
        PldAccountant unsampled = PldAccountant.create().compose(0, 1, 100);
        assertThat(unsampled.epsilon(1e-9)).isZero();
        assertThat(unsampled.steps()).isEqualTo(100);
        PldAccountant noNoise = PldAccountant.create().compose(0.01, 1, 10).compose(0.01, 0, 1);
        assertThat(noNoise.epsilon(0.5)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(noNoise.delta(100)).isEqualTo(1);
    }

    @Test
    void composeLeavesTheAccountantUnchanged() {
        PldAccountant base = PldAccountant.create().compose(1, 1, 1);
        double before = base.epsilon(1e-5);
        PldAccountant more = base.compose(1, 1, 3);
        assertThat(base.epsilon(1e-5)).isEqualTo(before);
        assertThat(base.steps()).isEqualTo(1);
        assertThat(more.epsilon(1e-5)).isGreaterThan(before);
    }

    @Test
    void noiseMultiplierMeetsTheTargetAndIsBelowTheRdpAnswer() {
        double q = 0.01;
        long steps = 300;
        double d = 1e-3;
        double z = PldAccountant.noiseMultiplier(q, steps, 1e-5, 2, d);
        PldAccountant acc = PldAccountant.create(d);
        assertThat(acc.compose(q, z, steps).epsilon(1e-5)).isLessThanOrEqualTo(2).isGreaterThan(1.99);
        assertThat(acc.compose(q, z * (1 - 1e-5), steps).epsilon(1e-5)).isGreaterThan(2);
        double rdp = RdpAccountant.noiseMultiplier(q, steps, 1e-5, 2, OrderGrid.DEFAULT, FractionalSeries.SIGNED,
                Conversion.IMPROVED);
        assertThat(z).isLessThan(rdp);
    }

    @Test
    void badArgumentsNameTheArgumentAndValue() {
        assertThatThrownBy(() -> PldAccountant.create(0)).hasMessageContaining("discretization").hasMessageContaining("0.0");
        PldAccountant acc = PldAccountant.create();
        assertThatThrownBy(() -> acc.compose(1.5, 1, 1)).hasMessageContaining("sampling rate q").hasMessageContaining("1.5");
        assertThatThrownBy(() -> acc.compose(0.1, -1, 1)).hasMessageContaining("noise multiplier z").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> acc.compose(0.1, Double.POSITIVE_INFINITY, 1)).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> acc.compose(0.1, 1, -3)).hasMessageContaining("steps").hasMessageContaining("-3");
        assertThatThrownBy(() -> acc.epsilon(2)).hasMessageContaining("delta").hasMessageContaining("2.0");
        assertThatThrownBy(() -> acc.delta(-1)).hasMessageContaining("epsilon").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> PldAccountant.create().compose(0.5, 0.01, 1).epsilon(1e-5))
                .hasMessageContaining("z=0.01").hasMessageContaining("grid points").hasMessageContaining("discretization");
        assertThatThrownBy(() -> PldAccountant.noiseMultiplier(0, 10, 1e-5, 1, D)).hasMessageContaining("q")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> PldAccountant.noiseMultiplier(0.1, 10, 1e-5, -1, D))
                .hasMessageContaining("target epsilon").hasMessageContaining("-1.0");
    }
}
