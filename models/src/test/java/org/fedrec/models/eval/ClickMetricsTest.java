package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

class ClickMetricsTest {
    @Test
    void aucOfAKnownExample() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        boolean[] y = {false, false, true, true};
        assertThat(ClickMetrics.auc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, y)).isEqualTo(0.75);
    }

    @Test
    void tiedScoresShareTheirAverageRank() {
        // Pairs (positive, negative): (.5,.5) counts 1/2, (.5,.2), (.9,.5), (.9,.2) count 1: 3.5 / 4.
        boolean[] y = {false, true, false, true};
        assertThat(ClickMetrics.auc(new float[] {0.5f, 0.5f, 0.2f, 0.9f}, y)).isEqualTo(0.875);
        assertThat(ClickMetrics.auc(new float[] {1, 1, 1, 1}, y)).isEqualTo(0.5);
        assertThat(ClickMetrics.auc(new float[] {-0.0f, 0.0f}, new boolean[] {true, false})).isEqualTo(0.5);
        assertThat(ClickMetrics.auc(new float[] {Float.NEGATIVE_INFINITY, -3, 7, Float.POSITIVE_INFINITY},
                new boolean[] {false, false, true, true})).isEqualTo(1.0);
    }

    @Test
    void aucNeedsBothClasses() {
        assertThatThrownBy(() -> ClickMetrics.auc(new float[] {0.2f, 0.3f}, new boolean[] {true, true}))
                .hasMessage("AUC needs both classes; expected positive and negative labels, found 2 positive and 0"
                        + " negative of 2");
        assertThatThrownBy(() -> ClickMetrics.auc(new float[] {0.2f}, new boolean[] {true, false}))
                .hasMessage("expected one label per score, found 1 scores and 2 labels");
        assertThatThrownBy(() -> ClickMetrics.auc(new float[] {0.2f, Float.NaN}, new boolean[] {true, false}))
                .hasMessage("scores[1]: expected a number, found NaN");
    }

    @Test
    void logLossOfAKnownExample() {
        // sklearn.metrics.log_loss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65]) == 0.21616187468057912
        double expected = -(Math.log(0.9) + Math.log(0.9) + Math.log(0.8) + Math.log(0.65)) / 4;
        assertThat(expected).isCloseTo(0.21616187468057912, within(1e-15));
        float[] p = {0.9f, 0.1f, 0.2f, 0.65f};
        boolean[] y = {true, false, false, true};
        assertThat(ClickMetrics.logLoss(p, y)).isCloseTo(expected, within(1e-7)); // inputs are floats
        assertThat(ClickMetrics.evaluate(p, y)).containsOnlyKeys("AUC", "LogLoss");
    }

    @Test
    void logLossClampsCertainMistakes() {
        assertThat(ClickMetrics.logLoss(new float[] {0f, 1f}, new boolean[] {true, false}))
                .isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(ClickMetrics.logLoss(new float[] {1f, 0f}, new boolean[] {true, false})).isCloseTo(0, within(1e-14));
        assertThatThrownBy(() -> ClickMetrics.logLoss(new float[] {1.5f}, new boolean[] {true}))
                .hasMessage("probabilities[0]: expected a probability in [0, 1], found 1.5");
        assertThatThrownBy(() -> ClickMetrics.logLoss(new float[0], new boolean[0]))
                .hasMessage("log-loss needs examples; found none");
    }

    @Property
    void aucIsTheFractionOfCorrectlyOrderedPairs(@ForAll @Size(min = 2, max = 40) int[] rawScores,
            @ForAll @IntRange(min = 1, max = 1 << 20) int labelBits) {
        int n = Math.min(rawScores.length, 20);
        float[] s = new float[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.floorMod(rawScores[i], 5); // few distinct values: many ties
            y[i] = ((labelBits >>> i) & 1) == 1;
        }
        y[0] = true;
        y[1] = false;
        double correct = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    correct += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(ClickMetrics.auc(s, y)).isCloseTo(correct / pairs, within(1e-12));
    }
}
