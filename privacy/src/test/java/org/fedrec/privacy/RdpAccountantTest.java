package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RdpAccountantTest {

    @Test
    void specialCases() {
        assertThat(RdpAccountant.rdp(0, 0, 5, FractionalSeries.SIGNED)).isZero();
        assertThat(RdpAccountant.rdp(0.1, 0, 5, FractionalSeries.SIGNED)).isInfinite();
        assertThat(RdpAccountant.rdp(0.1, 1, Double.POSITIVE_INFINITY, FractionalSeries.SIGNED)).isInfinite();
        assertThat(RdpAccountant.rdp(1, 2, 2.5, FractionalSeries.SIGNED)).isEqualTo(2.5 / 8);
        assertThat(RdpAccountant.rdp(0.1, 1, 1, FractionalSeries.SIGNED)).isInfinite();
        assertThat(RdpAccountant.rdp(0.1, 1, 0L, OrderGrid.DEFAULT, FractionalSeries.SIGNED)).containsOnly(0.0);
    }

    @Test
    void twoIsAnIntegerOrderAndFractionalSeriesAgreeNearIt() {
        double atTwo = RdpAccountant.rdp(0.05, 1.2, 2.0, FractionalSeries.SIGNED);
        double exact = Math.log(1 + 0.05 * 0.05 * Math.expm1(1 / (1.2 * 1.2))); // A_2 in closed form
        assertThat(atTwo).isCloseTo(exact, within(1e-15));
        assertThat(RdpAccountant.rdp(0.05, 1.2, 2.0 + 1e-9, FractionalSeries.SIGNED)).isCloseTo(atTwo, within(1e-8));
    }

    @Test
    void dpAccountingSeriesGivesUpWhereTheSignedSeriesConverges() {
        // dp_vectors.md pitfall 2 (dp_accounting test_log_a_frac_early_termination): q=0.1, σ=1, α in 1.1…1.5.
        for (double a : new double[] {1.1, 1.2, 1.3, 1.4, 1.5}) {
            assertThat(RdpAccountant.rdp(0.1, 1, a, FractionalSeries.ABSOLUTE_UPPER_BOUND)).as("α=%s", a).isInfinite();
            assertThat(RdpAccountant.rdp(0.1, 1, a, FractionalSeries.SIGNED)).as("α=%s", a).isFinite().isPositive();
        }
    }

    @Test
    void heterogeneousStepsAddOrderByOrder() {
        RdpAccountant a = RdpAccountant.create().compose(0.01, 1.1, 300).compose(0.05, 2.0, 70);
        double[] first = RdpAccountant.rdp(0.01, 1.1, 300, OrderGrid.DEFAULT, FractionalSeries.SIGNED);
        double[] second = RdpAccountant.rdp(0.05, 2.0, 70, OrderGrid.DEFAULT, FractionalSeries.SIGNED);
        double[] total = a.rdp();
        for (int k = 0; k < total.length; k++) {
            assertThat(total[k]).isCloseTo(first[k] + second[k], within(1e-12 * total[k]));
        }
        assertThat(a.steps()).isEqualTo(370);
    }

    @Test
    void accountantIsImmutable() {
        RdpAccountant empty = RdpAccountant.create();
        RdpAccountant spent = empty.compose(0.01, 1, 100);
        assertThat(empty.rdp()).containsOnly(0.0);
        assertThat(empty.steps()).isZero();
        double[] copy = spent.rdp();
        copy[0] = 42;
        assertThat(spent.rdp()[0]).isNotEqualTo(42);
    }

    @Test
    void epsilonAndDeltaAreInverse() {
        RdpAccountant a = RdpAccountant.create().compose(0.02, 1.0, 2000);
        for (Conversion c : Conversion.values()) {
            EpsilonDelta e = a.epsilon(1e-6, c);
            EpsilonDelta d = a.delta(e.epsilon(), c);
            assertThat(d.delta()).as("%s", c).isCloseTo(1e-6, within(1e-12));
            assertThat(d.order()).isEqualTo(e.order());
        }
    }

    @Test
    void improvedConversionIsNeverLooserThanClassic() {
        RdpAccountant a = RdpAccountant.create().compose(0.01, 0.8, 5000);
        assertThat(a.epsilon(1e-5, Conversion.IMPROVED).epsilon())
                .isLessThan(a.epsilon(1e-5, Conversion.CLASSIC).epsilon());
    }

    @Test
    void deltaZeroAndNoSpend() {
        assertThat(RdpAccountant.create().epsilon(0, Conversion.IMPROVED).epsilon()).isZero();
        assertThat(RdpAccountant.create().compose(0.1, 1, 1).epsilon(0, Conversion.CLASSIC).epsilon()).isInfinite();
        assertThat(RdpAccountant.create().compose(0.1, 0, 1).epsilon(1e-5, Conversion.CLASSIC).epsilon()).isInfinite();
    }

    @Test
    void errorsNameTheArgumentAndItsValue() {
        assertThatThrownBy(() -> RdpAccountant.rdp(1.5, 1, 2, FractionalSeries.SIGNED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("q").hasMessageContaining("1.5");
        assertThatThrownBy(() -> RdpAccountant.rdp(0.1, -1, 2, FractionalSeries.SIGNED))
                .hasMessageContaining("noise multiplier z").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> RdpAccountant.rdp(0.1, 1, 0.5, FractionalSeries.SIGNED))
                .hasMessageContaining("alpha").hasMessageContaining("0.5");
        assertThatThrownBy(() -> RdpAccountant.create().compose(0.1, 1, -3))
                .hasMessageContaining("steps").hasMessageContaining("-3");
        assertThatThrownBy(() -> RdpAccountant.create().epsilon(2, Conversion.CLASSIC))
                .hasMessageContaining("delta").hasMessageContaining("2.0");
        assertThatThrownBy(() -> RdpAccountant.create().delta(-1, Conversion.CLASSIC))
                .hasMessageContaining("epsilon").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> OrderGrid.of(2, 0.9)).hasMessageContaining("orders[1] = 0.9");
        assertThatThrownBy(() -> RdpAccountant.epsilon(OrderGrid.of(2, 3), new double[] {1}, 1e-5, Conversion.CLASSIC))
                .hasMessageContaining("expected 2, was 1");
        assertThatThrownBy(() -> RdpAccountant.noiseMultiplier(0.01, 100, 1e-5, 0, OrderGrid.DEFAULT,
                FractionalSeries.SIGNED, Conversion.IMPROVED)).hasMessageContaining("target epsilon")
                .hasMessageContaining("0.0");
    }

    @Test
    void noiseMultiplierMeetsTheTarget() {
        double z = RdpAccountant.noiseMultiplier(0.01, 1000, 1e-5, 8, OrderGrid.DEFAULT, FractionalSeries.SIGNED,
                Conversion.IMPROVED);
        assertThat(RdpAccountant.create().compose(0.01, z, 1000).epsilon(1e-5, Conversion.IMPROVED).epsilon())
                .isLessThanOrEqualTo(8).isCloseTo(8, within(1e-6));
    }

    @Test
    void gridsAreTheUpstreamOnes() {
        assertThat(OrderGrid.TF_PRIVACY.size()).isEqualTo(10 + 59 + 3);
        assertThat(OrderGrid.OPACUS.size()).isEqualTo(99 + 52);
        assertThat(OrderGrid.DP_ACCOUNTING.size()).isEqualTo(99 + 53 + 4);
        assertThat(OrderGrid.OPACUS.order(2)).isEqualTo(1 + 3 / 10.0);
        assertThat(OrderGrid.DEFAULT).isEqualTo(OrderGrid.TF_PRIVACY);
    }
}
