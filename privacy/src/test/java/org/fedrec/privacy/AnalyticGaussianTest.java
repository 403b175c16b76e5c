package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Balle–Wang δ(ε) against mpmath at 50 digits:
 * {@code ncdf(1/(2s) − e·s) − exp(e)·ncdf(−1/(2s) − e·s)}.
 */
class AnalyticGaussianTest {

    @ParameterizedTest(name = "δ(σ={0}, ε={1}) = {2}")
    @CsvSource({
        "1, 1, 0.12693673750664395", "1, 0, 0.38292492254802621", "2, 0.5, 0.052440323287669662",
        "0.5, 3, 0.18381307654447216", "5, 0.1, 0.041481688460718321", "3, 0, 0.13236766522180731",
        "1, -1, 0.67881797488662792", "0.1, 100, 1.8797170020519075e-7", "0.3, 30, 3.436473568135017e-14",
        "0.2, 60, 3.5768112906305798e-22", "0.1, 300, 8.7164045784102782e-139"})
    void deltaMatchesMpmath(double sigma, double epsilon, double expected) {
        assertThat(AnalyticGaussian.delta(sigma, epsilon)).isCloseTo(expected, within(1e-11 * expected));
    }

    @Test
    void v16ClosedFormAndTheLimits() {
        // dp_vectors.md V16: σ = √3 composed 3 times is σ = 1: Φ(−½) − e·Φ(−3/2) = 0.1269367375.
        assertThat(AnalyticGaussian.delta(Math.sqrt(3) / Math.sqrt(3), 1)).isCloseTo(0.1269367375, within(1e-10));
        assertThat(AnalyticGaussian.delta(1, Double.POSITIVE_INFINITY)).isZero();
        assertThat(AnalyticGaussian.delta(1, Double.NEGATIVE_INFINITY)).isEqualTo(1);
        assertThat(AnalyticGaussian.delta(0.05, 1000)).isZero(); // 1.2e-350 underflows
    }

    @ParameterizedTest(name = "ε(σ={0}, δ={1}) = {2}")
    @CsvSource({"1, 1e-5, 4.3771780956812246", "0.49497474683058323, 1e-5, 10.122494583907487",
        "0.24748737341529162, 1e-5, 24.716077860091901"})
    void epsilonMatchesMpmathRoots(double sigma, double delta, double expected) {
        assertThat(AnalyticGaussian.epsilon(sigma, delta)).isCloseTo(expected, within(1e-10 * expected));
    }

    @Property(tries = 200)
    void deltaIsAboveOneMinusExpEpsilonAndFallsInEpsilonAndGrowsWithLessNoise(
            @ForAll @DoubleRange(min = 0.05, max = 20) double sigma, @ForAll @DoubleRange(min = -5, max = 50) double e1,
            @ForAll @DoubleRange(min = -5, max = 50) double e2) {
        double lo = Math.min(e1, e2);
        double hi = Math.max(e1, e2);
        double dLo = AnalyticGaussian.delta(sigma, lo);
        double dHi = AnalyticGaussian.delta(sigma, hi);
        assertThat(dHi).isLessThanOrEqualTo(dLo * (1 + 1e-12));
        assertThat(dLo).isGreaterThanOrEqualTo(Math.max(0, -Math.expm1(lo)) - 1e-15).isLessThanOrEqualTo(1);
        assertThat(AnalyticGaussian.delta(sigma * 1.1, lo)).isLessThanOrEqualTo(dLo * (1 + 1e-12));
    }

    @Property(tries = 100)
    void epsilonInvertsDelta(@ForAll @DoubleRange(min = 0.1, max = 20) double sigma,
            @ForAll @DoubleRange(min = -12, max = -1) double log10delta) {
        double delta = Math.pow(10, log10delta);
        double eps = AnalyticGaussian.epsilon(sigma, delta);
        assertThat(AnalyticGaussian.delta(sigma, eps)).isLessThanOrEqualTo(delta);
        if (eps > 0) {
            assertThat(AnalyticGaussian.delta(sigma, eps * (1 - 1e-9))).isGreaterThan(delta);
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThatThrownBy(() -> AnalyticGaussian.delta(0, 1)).hasMessageContaining("sigma").hasMessageContaining("0.0");
        assertThatThrownBy(() -> AnalyticGaussian.delta(1, Double.NaN)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AnalyticGaussian.epsilon(1, 0)).hasMessageContaining("delta").hasMessageContaining("0.0");
        assertThatThrownBy(() -> AnalyticGaussian.epsilon(-2, 0.1)).hasMessageContaining("-2.0");
    }
}
