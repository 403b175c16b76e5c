package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.fedrec.privacy.PoissonGaussianPld.Direction;
import org.fedrec.privacy.internal.PrivacyLossPmf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One step of the subsampled Gaussian: closed forms against quadrature, the discretisation against Algorithm 1. */
class PoissonGaussianPldTest {

    /**
     * δ(ε) = ∫ (p(x) − e^ε q(x))_+ dx from the mixture densities: the integrand's sign change (p/q falls in
     * x) is found by bisection, and Simpson's rule runs on the smooth part left of it, over 12σ + 2.
     */
    private static double deltaByQuadrature(double q, double sigma, Direction direction, double epsilon) {
        double from = -12 * sigma - 2;
        double to = 12 * sigma + 2;
        if (excess(q, sigma, direction, epsilon, to) < 0) {
            double lo = from;
            double hi = to;
            for (int k = 0; k < 200; k++) {
                double mid = 0.5 * (lo + hi);
                if (excess(q, sigma, direction, epsilon, mid) > 0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            to = lo;
        }
        int steps = 100_000;
        double h = (to - from) / steps;
        double sum = 0;
        for (int k = 0; k <= steps; k++) {
            double f = Math.max(0, excess(q, sigma, direction, epsilon, from + k * h));
            sum += f * (k == 0 || k == steps ? 1 : k % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    /** p(x) − e^ε q(x). */
    private static double excess(double q, double sigma, Direction direction, double epsilon, double x) {
        double base = density(x, 0, sigma);
        double p = direction == Direction.REMOVE ? (1 - q) * base + q * density(x, -1, sigma) : base;
        double other = direction == Direction.REMOVE ? base : (1 - q) * base + q * density(x, 1, sigma);
        return p - Math.exp(epsilon) * other;
    }

    private static double density(double x, double mean, double sigma) {
        double z = (x - mean) / sigma;
        return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
    }

    @ParameterizedTest(name = "q={0} σ={1} {2} ε={3}")
    @CsvSource({"0.01, 0.7, REMOVE, 0.5", "0.01, 0.7, ADD, 0.005", "0.2, 0.5, REMOVE, 1", "0.2, 0.5, ADD, 0.1",
        "0.2, 0.5, REMOVE, -0.1", "0.2, 0.5, ADD, -1", "0.5, 2, REMOVE, 0.2", "0.5, 2, ADD, 0.2", "1, 1, ADD, 1",
        "0.3, 1.2, REMOVE, -2"})
    void hockeyStickClosedFormsMatchQuadrature(double q, double sigma, Direction direction, double epsilon) {
        double expected = deltaByQuadrature(q, sigma, direction, epsilon);
        assertThat(PoissonGaussianPld.delta(q, sigma, direction, epsilon)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void hockeyStickLimitsOutsideTheRangeOfTheLoss() {
        // REMOVE: at ε ≤ ln(1−q) the other distribution never outweighs e^ε·it, δ = 1 − e^ε; ADD: 0 above −ln(1−q).
        assertThat(PoissonGaussianPld.delta(0.2, 0.5, Direction.REMOVE, Math.log(0.8) - 0.1))
                .isCloseTo(1 - 0.8 * Math.exp(-0.1), within(1e-15));
        assertThat(PoissonGaussianPld.delta(0.2, 0.5, Direction.ADD, -Math.log(0.8) + 1e-9)).isZero();
        assertThat(PoissonGaussianPld.TAIL_QUANTILE).isCloseTo(9.7454748649659347, within(1e-12)); // SciPy isf
    }

    @ParameterizedTest(name = "q={0} {1} ℓ={2}")
    @CsvSource({"0.01, REMOVE, 3", "0.01, ADD, 3", "0.3, REMOVE, -2", "0.3, ADD, -2", "1, ADD, 0.7", "0.5, REMOVE, 40"})
    void unsubsampledLossInvertsTheLoss(double q, Direction direction, double l) {
        double loss = PoissonGaussianPld.loss(q, direction, l);
        assertThat(PoissonGaussianPld.unsubsampledLoss(q, direction, loss)).isCloseTo(l, within(1e-9 * Math.max(1, l)));
    }

    /**
     * Algorithm 1 of Doroshenko et al. as written (from the δ_i), the oracle for the interval form that
     * {@link PoissonGaussianPld#discretize} uses.
     */
    private static PrivacyLossPmf algorithmOne(double q, double sigma, Direction direction, double d) {
        long[] range = PoissonGaussianPld.gridRange(q, sigma, direction, d);
        int n = (int) (range[1] - range[0] + 1);
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            delta[i] = Math.min(i == 0 ? 1 : delta[i - 1], PoissonGaussianPld.delta(q, sigma, direction,
                    (range[0] + i) * d));
        }
        double[] p = new double[n];
        double em1 = Math.expm1(d);
        p[0] = 1 - delta[0] + (delta[1] - delta[0]) / em1;
        for (int i = 1; i < n - 1; i++) {
            p[i] = ((delta[i + 1] - delta[i]) - Math.exp(d) * (delta[i] - delta[i - 1])) / em1;
        }
        p[n - 1] = (delta[n - 1] - delta[n - 2]) / Math.expm1(-d);
        return PrivacyLossPmf.of(d, range[0], Arrays.stream(p).map(v -> Math.max(0, v)).toArray(), delta[n - 1]);
    }

    @ParameterizedTest(name = "q={0} σ={1} {2} d={3}")
    @CsvSource({"1, 0.8, REMOVE, 0.01", "0.01, 0.7, REMOVE, 0.001", "0.01, 0.7, ADD, 0.001", "0.2, 0.5, REMOVE, 0.001",
        "0.2, 0.5, ADD, 0.001", "0.5, 3, ADD, 0.0001"})
    void discretisationIsAlgorithmOneAndLiesAboveTheExactCurve(double q, double sigma, Direction direction,
            double d) {
        PrivacyLossPmf pmf = PoissonGaussianPld.discretize(q, sigma, direction, d, 1 << 24);
        PrivacyLossPmf oracle = algorithmOne(q, sigma, direction, d);
        assertThat(pmf.lowerIndex()).isEqualTo(oracle.lowerIndex());
        assertThat(pmf.size()).isEqualTo(oracle.size());
        assertThat(Arrays.stream(pmf.probs()).sum() + pmf.infinityMass()).isCloseTo(1, within(1e-11));
        for (int i = 0; i < pmf.size(); i += Math.max(1, pmf.size() / 300)) {
            double gridEps = pmf.loss(i);
            double exact = PoissonGaussianPld.delta(q, sigma, direction, gridEps);
            assertThat(pmf.delta(gridEps)).as("on the grid at ε=%s", gridEps).isCloseTo(exact, within(1e-12));
            double between = gridEps + 0.37 * d;
            double exactBetween = PoissonGaussianPld.delta(q, sigma, direction, between);
            // Between two grid points the PLD's δ is the chord: above the exact δ there, below δ(ε_i).
            assertThat(pmf.delta(between)).as("between grid points at ε=%s", between)
                    .isGreaterThanOrEqualTo(exactBetween - 1e-13)
                    .isLessThanOrEqualTo(exact + 1e-13)
                    // Algorithm 1 as written divides second differences of δ by e^d − 1; where δ ≈ 1 (low
                    // losses) its round-off grows to ~3e-13/d, while the interval form stays within 1e-13 of
                    // the exact curve (the bounds above).
                    .isCloseTo(oracle.delta(between), within(1e-12 / d));
        }
    }
}
