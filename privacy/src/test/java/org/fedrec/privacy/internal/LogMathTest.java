package org.fedrec.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against SciPy 1.17: {@code log(2) + special.log_ndtr(-x*sqrt(2))} and {@code special.gammaln(x)}. */
class LogMathTest {

    @ParameterizedTest(name = "log erfc({0})")
    @CsvSource({
        "-30, 0.6931471805599453", "-2.49, 0.6929325135867722", "-1, 0.6112323176780705",
        "-0.1, 0.10657640058652262", "0, 0", "0.1, -0.11930497373739557", "1, -1.849605509933249",
        "2, -5.36494126461664", "2.49, -7.753382843710986", "2.5, -7.806815272727267", "3, -10.720363041981116",
        "5, -27.200889545537446", "10, -102.87988902484493", "30, -903.9741171106442",
        "1000, -1000007.4801207221"})
    void logErfcMatchesScipy(double x, double expected) {
        assertThat(LogMath.logErfc(x)).isCloseTo(expected, within(2e-14 * Math.max(1, Math.abs(expected))));
    }

    @ParameterizedTest(name = "log Γ({0})")
    @CsvSource({
        "0.5, 0.5723649429247", "1.25, -0.09827183642181311", "2.5, 0.2846828704729192",
        "10.75, 14.519472225060518", "100.3, 360.5147057290581", "1025, 6078.211884750051",
        "-0.25, 1.5895753125511858", "-500.75, -2614.5014224652405", "-3.5, -1.3090066849930422"})
    void logGammaMatchesScipy(double x, double expected) {
        assertThat(LogMath.logGamma(x)).isCloseTo(expected, within(1e-14 * Math.max(1, Math.abs(expected))));
    }

    @ParameterizedTest(name = "C({0}, {1})")
    @CsvSource({"2.5, 0, 1", "2.5, 3, 1", "2.5, 4, -1", "2.5, 5, 1", "2.5, 6, -1", "5, 7, 1"})
    void binomialSignAlternatesPastAlphaPlusOne(double n, int k, int sign) {
        assertThat(LogMath.binomialSign(n, k)).isEqualTo(sign);
    }
}
