package org.fedrec.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

/** The discrete PLD: δ(ε), ε(δ), connect-the-dots and composition against hand-computed values. */
class PrivacyLossPmfTest {

    /** Losses −0.5, 0, 0.5, 1 with probabilities 0.1, 0.2, 0.3, 0.35 and 0.05 at +∞. */
    private static final PrivacyLossPmf FOUR = PrivacyLossPmf.of(0.5, -1, new double[] {0.1, 0.2, 0.3, 0.35}, 0.05);

    /** n uniform random values scaled to sum to {@code mass}. */
    private static double[] randomProbabilities(long seed, int n, double mass) {
        double[] p = new Random(seed).doubles(n).toArray();
        double total = Arrays.stream(p).sum();
        for (int i = 0; i < n; i++) {
            p[i] *= mass / total;
        }
        return p;
    }

    @Test
    void deltaIsTheHockeyStickSumOverLossesAboveEpsilon() {
        assertThat(FOUR.delta(0.25)).isCloseTo(0.05 + 0.3 * (1 - Math.exp(-0.25)) + 0.35 * (1 - Math.exp(-0.75)),
                within(1e-16));
        assertThat(FOUR.delta(0.5)).isCloseTo(0.05 + 0.35 * (1 - Math.exp(-0.5)), within(1e-16));
        assertThat(FOUR.delta(1)).isEqualTo(0.05);
        assertThat(FOUR.delta(Double.POSITIVE_INFINITY)).isEqualTo(0.05);
        assertThat(FOUR.delta(-1)).isCloseTo(0.05 + 0.1 * (1 - Math.exp(-0.5)) + 0.2 * (1 - Math.exp(-1))
                + 0.3 * (1 - Math.exp(-1.5)) + 0.35 * (1 - Math.exp(-2)), within(1e-16));
    }

    @Test
    void epsilonSolvesTheSegmentInClosedForm() {
        // Between losses 0.5 and 1: δ(ε) = (0.05 + 0.35) − e^ε·0.35·e^{−1}.
        double target = 0.05 + 0.35 * (1 - Math.exp(0.7 - 1));
        assertThat(FOUR.epsilon(target)).isCloseTo(0.7, within(1e-14));
        // Between 0 and 0.5: U = 0.05 + 0.35 + 0.3, W = 0.35e^{−1} + 0.3e^{−0.5}.
        double u = 0.7;
        double w = 0.35 * Math.exp(-1) + 0.3 * Math.exp(-0.5);
        assertThat(FOUR.epsilon(u - Math.exp(0.2) * w)).isCloseTo(0.2, within(1e-14));
        assertThat(FOUR.epsilon(0.05)).isCloseTo(1, within(1e-14)); // δ(ε) = p_∞ from the top loss on
        assertThat(FOUR.epsilon(0.049)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(FOUR.epsilon(FOUR.delta(0))).isCloseTo(0, within(1e-14));
        assertThat(FOUR.epsilon(0.9)).isEqualTo(0);
    }

    @Test
    void epsilonBelowAGridThatStartsAboveZero() {
        // All mass on losses 1 and 2: for ε < 1, δ(ε) = 1 − e^ε (0.5e^{−1} + 0.5e^{−2}).
        PrivacyLossPmf high = PrivacyLossPmf.of(1, 1, new double[] {0.5, 0.5}, 0);
        double w = 0.5 * Math.exp(-1) + 0.5 * Math.exp(-2);
        assertThat(high.epsilon(1 - Math.exp(0.3) * w)).isCloseTo(0.3, within(1e-14));
        assertThat(high.epsilon(0.99)).isEqualTo(0);
    }

    @Test
    void epsilonOfLossesInTheThousandsNeitherOverflowsNorUnderflows() {
        // e^{−1400} underflows a double. On [1400, 1401) δ(ε) = 0.5 − 0.5e^{ε−1401}; below the grid
        // δ(ε) = 1 − e^{ε−1400}·0.5(1 + e^{−1}).
        PrivacyLossPmf far = PrivacyLossPmf.of(1, 1400, new double[] {0.5, 0.5}, 0);
        assertThat(far.epsilon(0.3)).isCloseTo(1401 + Math.log(0.4), within(1e-9));
        assertThat(far.epsilon(0.2)).isCloseTo(1401 + Math.log(0.6), within(1e-9));
        assertThat(far.epsilon(0.5)).isCloseTo(1400 - Math.log(1 + Math.exp(-1)), within(1e-9));
        assertThat(far.delta(1401 + Math.log(0.6))).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void connectTheDotsByHand() {
        // Grid {0, ln 2} (e^d = 2). The exact PLD: P(L ≤ 0) = 0.5; (0, ln 2] holds P-mass 0.4 and Q-mass 0.3;
        // above ln 2 P-mass 0.1, Q-mass 0.02, so δ(ln 2) = 0.1 − 2·0.02 = 0.06.
        // p_0 = 0.5 + (2·0.3 − 0.4)/1 = 0.7,  p_1 = (2·0.4 − 2·0.3)/1 + 2·0.02 = 0.24,  p_∞ = 0.06.
        PrivacyLossPmf two = PrivacyLossPmf.connectTheDots(Math.log(2), 0, 0.5, new double[] {Math.log(0.4)},
                new double[] {Math.log(0.3)}, Math.log(0.02), 0.06);
        assertThat(two.probs()).containsExactly(new double[] {0.7, 0.24}, within(1e-15));
        assertThat(two.infinityMass()).isEqualTo(0.06);
        // On the grid δ is exact: δ(0) = P(L > 0) − Q(L > 0) = 0.5 − 0.32, δ(ln 2) = 0.06.
        assertThat(two.delta(0)).isCloseTo(0.18, within(1e-15));
        assertThat(two.delta(Math.log(2))).isCloseTo(0.06, within(1e-15));
        // Between, the chord in e^ε: at ε = ln 1.5, 0.06 + 0.24·(1 − 1.5/2) = 0.12.
        assertThat(two.delta(Math.log(1.5))).isCloseTo(0.12, within(1e-15));
        PrivacyLossPmf one = PrivacyLossPmf.connectTheDots(0.1, 3, 0.7, new double[0], new double[0], Math.log(0.05),
                0.25);
        assertThat(one.probs()).containsExactly(new double[] {0.7 + Math.exp(0.3) * 0.05}, within(1e-15));
        assertThat(one.infinityMass()).isEqualTo(0.25);
        assertThat(one.loss(0)).isCloseTo(0.3, within(1e-15));
    }

    @Test
    void composeIsTheConvolutionWithInfinityMassesCombined() {
        PrivacyLossPmf a = PrivacyLossPmf.of(0.5, 0, new double[] {0.6, 0.3}, 0.1);
        PrivacyLossPmf b = PrivacyLossPmf.of(0.5, -1, new double[] {0.5, 0.3}, 0.2);
        PrivacyLossPmf c = a.compose(b, 0);
        assertThat(c.lowerIndex()).isEqualTo(-1);
        assertThat(c.probs()).containsExactly(new double[] {0.30, 0.18 + 0.15, 0.09}, within(1e-15));
        assertThat(c.infinityMass()).isCloseTo(0.1 + 0.2 - 0.02, within(1e-15));
    }

    @Property(tries = 30)
    void selfComposeEqualsRepeatedComposition(@ForAll @IntRange(min = 1, max = 60) int n,
            @ForAll @IntRange(min = 1, max = 9) int times, @ForAll @LongRange(min = -50, max = 50) long lower,
            @ForAll @DoubleRange(min = 0, max = 0.1) double inf, @ForAll @LongRange(min = 0, max = 100) long seed) {
        PrivacyLossPmf pmf = PrivacyLossPmf.of(0.01, lower, randomProbabilities(seed, n, 1 - inf), inf);
        PrivacyLossPmf repeated = pmf;
        for (int t = 1; t < times; t++) {
            repeated = repeated.compose(pmf, 0);
        }
        PrivacyLossPmf fast = pmf.selfCompose(times, 0);
        assertThat(fast.lowerIndex()).isEqualTo(repeated.lowerIndex());
        assertThat(fast.probs()).containsExactly(repeated.probs(), within(1e-14));
        assertThat(fast.infinityMass()).isCloseTo(repeated.infinityMass(), within(1e-15));
        // With the default truncation the window shrinks but δ moves by at most the truncated mass.
        PrivacyLossPmf truncated = pmf.selfCompose(times, PrivacyLossPmf.DEFAULT_TAIL_MASS);
        for (double eps = -0.5; eps <= 0.5; eps += 0.05) {
            assertThat(truncated.delta(eps)).isGreaterThanOrEqualTo(repeated.delta(eps) - 1e-14)
                    .isLessThanOrEqualTo(repeated.delta(eps) + 2e-15 + 1e-14);
        }
    }

    @Test
    void aSelfComposerAtGrowingAndShrinkingCountsMatchesFreshCompositions() {
        PrivacyLossPmf pmf = PrivacyLossPmf.of(0.01, -40, randomProbabilities(11, 300, 0.999), 0.001);
        PrivacyLossPmf.SelfComposer composer = pmf.selfComposer(PrivacyLossPmf.DEFAULT_TAIL_MASS);
        for (long times : new long[] {1, 2, 3, 10, 11, 50, 7, 200, 201}) {
            PrivacyLossPmf kept = composer.compose(times);
            PrivacyLossPmf fresh = pmf.selfCompose(times, PrivacyLossPmf.DEFAULT_TAIL_MASS);
            assertThat(kept.lowerIndex()).as("T=%d", times).isEqualTo(fresh.lowerIndex());
            assertThat(kept.probs()).as("T=%d", times).containsExactly(fresh.probs(), within(1e-13));
            assertThat(kept.infinityMass()).isEqualTo(fresh.infinityMass());
        }
        assertThatThrownBy(() -> composer.compose(0)).hasMessageContaining("times").hasMessageContaining("0");
    }

    @Test
    void truncatingTailsNeverLowersDelta() {
        PrivacyLossPmf pmf = PrivacyLossPmf.of(0.01, -100, randomProbabilities(7, 200, 1), 0);
        PrivacyLossPmf exact = pmf.compose(pmf, 0);
        PrivacyLossPmf cut = pmf.compose(pmf, 0.2);
        PrivacyLossPmf cutSelf = pmf.selfCompose(6, 0.2);
        PrivacyLossPmf exactSelf = pmf.selfCompose(6, 0);
        assertThat(cut.size()).isLessThan(exact.size());
        assertThat(cutSelf.size()).isLessThan(exactSelf.size());
        for (double eps = -3; eps <= 3; eps += 0.01) {
            assertThat(cut.delta(eps)).as("ε=%s", eps).isGreaterThanOrEqualTo(exact.delta(eps) - 1e-15);
            assertThat(cutSelf.delta(eps)).as("ε=%s", eps).isGreaterThanOrEqualTo(exactSelf.delta(eps) - 1e-14);
        }
    }

    @Test
    void selfComposeOfATwoPointPldIsBinomial() {
        // Losses 0 and d with probabilities 0.3, 0.7: T-fold sum is Binomial(T, 0.7) on the grid.
        PrivacyLossPmf pmf = PrivacyLossPmf.of(0.25, 0, new double[] {0.3, 0.7}, 0.01);
        PrivacyLossPmf ten = pmf.selfCompose(10, 0);
        assertThat(ten.size()).isEqualTo(11);
        assertThat(ten.infinityMass()).isCloseTo(1 - Math.pow(0.99, 10), within(1e-15));
        for (int k = 0; k <= 10; k++) {
            double binomial = Math.exp(LogMath.logAbsBinomial(10, k) + k * Math.log(0.7) + (10 - k) * Math.log(0.3));
            assertThat(ten.probs()[k]).isCloseTo(binomial, within(1e-15));
        }
    }

    @Test
    void badInputsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> PrivacyLossPmf.of(0, 0, new double[] {1}, 0)).hasMessageContaining("discretization")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> PrivacyLossPmf.of(0.1, 0, new double[] {0.5, -0.1}, 0))
                .hasMessageContaining("probs[1] = -0.1");
        assertThatThrownBy(() -> PrivacyLossPmf.connectTheDots(0.1, 0, 0.5, new double[] {-1, 0.5},
                new double[] {-2, -2}, -3, 0)).hasMessageContaining("logUpperMass[1]").hasMessageContaining("0.5");
        assertThatThrownBy(() -> PrivacyLossPmf.connectTheDots(0.1, 0, 0.5, new double[] {-1},
                new double[] {-2, -2}, -3, 0)).hasMessageContaining("1 and 2");
        assertThatThrownBy(() -> FOUR.epsilon(1.5)).hasMessageContaining("delta").hasMessageContaining("1.5");
        assertThatThrownBy(() -> FOUR.compose(PrivacyLossPmf.identity(0.1), 0))
                .hasMessageContaining("0.5").hasMessageContaining("0.1");
        assertThatThrownBy(() -> FOUR.selfCompose(0, 0)).hasMessageContaining("times").hasMessageContaining("0");
        assertThatThrownBy(() -> FOUR.compose(FOUR, -1)).hasMessageContaining("tail mass").hasMessageContaining("-1");
    }
}
