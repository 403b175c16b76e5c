package org.fedrec.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.fedrec.models.TrainSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The item-hiding steps of {@link Losses}, against hand-derived values and the sampled steps they stand for. */
class LossesTest {

    private static final float[] SCORES = {0.3f, -0.5f, 1.2f, 0.1f};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Both labels of a padding step give the gradients of their formulas, the positive label comes with the
     * model's probability p, and p times the one plus (1 - p) times the other is zero on the fake's score.
     */
    @ParameterizedTest
    @EnumSource(value = TrainSettings.Loss.class, names = {"BPR", "BCE"})
    void aVirtualLabelIsDrawnFromTheModelAndPushesTheFakeByZeroOnAverage(TrainSettings.Loss loss) {
        int k = SCORES.length - 1;
        float[] positive = SCORES.clone();
        Losses.lossAndGradient(loss, 1, positive, k);
        float[] other = new float[SCORES.length];
        double p;
        if (loss == TrainSettings.Loss.BPR) {
            p = 0;
            for (int c = 1; c <= k; c++) {
                double g = sigmoid(SCORES[0] - SCORES[c]);
                p += g / k;
                other[c] = (float) -g;
                other[0] += (float) g;
            }
        } else {
            p = sigmoid(SCORES[0]);
            for (int c = 0; c <= k; c++) {
                other[c] = (float) sigmoid(SCORES[c]);
            }
        }
        SplittableRandom random = new SplittableRandom(1);
        int draws = 20_000;
        int positives = 0;
        for (int d = 0; d < draws; d++) {
            float[] g = SCORES.clone();
            Losses.virtualLabelGradient(loss, g, k, random);
            boolean asPositive = g[0] < 0;
            positives += asPositive ? 1 : 0;
            float[] expected = asPositive ? positive : other;
            for (int c = 0; c <= k; c++) {
                assertThat(g[c]).isCloseTo(expected[c], within(1e-6f));
            }
        }
        assertThat((double) positives / draws).isCloseTo(p, within(0.015));
        assertThat(p * positive[0] + (1 - p) * other[0]).isCloseTo(0.0, within(1e-6));
    }

    /** The dense step is the sampled step's expectation: K times the mean over all negatives of a 1-negative step. */
    @ParameterizedTest
    @EnumSource(value = TrainSettings.Loss.class, names = {"BPR", "BCE"})
    void theDenseStepIsTheExpectationOfTheSampledStep(TrainSettings.Loss loss) {
        int n = SCORES.length - 1;
        int negatives = 4;
        float[] dense = SCORES.clone();
        double denseLoss = Losses.expectedOverNegatives(loss, dense, n, (float) negatives / n);
        double[] expected = new double[SCORES.length];
        double expectedLoss = 0;
        for (int j = 1; j <= n; j++) {
            float[] one = {SCORES[0], SCORES[j]};
            double l = Losses.lossAndGradient(loss, 1, one, 1);
            if (loss == TrainSettings.Loss.BPR) {
                expected[0] += (double) negatives / n * one[0];
                expectedLoss += (double) negatives / n * l;
            } else {
                // BCE: the positive's term is in every step once, each negative's term K/n times.
                expected[0] = one[0];
                expectedLoss += (double) negatives / n * (l - Vectors.softplus(-SCORES[0]));
            }
            expected[j] = (double) negatives / n * one[1];
        }
        if (loss == TrainSettings.Loss.BCE) {
            expectedLoss += Vectors.softplus(-SCORES[0]);
        }
        for (int c = 0; c <= n; c++) {
            assertThat((double) dense[c]).isCloseTo(expected[c], within(1e-6));
        }
        assertThat(denseLoss).isCloseTo(expectedLoss, within(1e-6));
    }

    @Test
    void theSoftmaxHasNoVirtualLabel() {
        assertThatThrownBy(() -> Losses.virtualLabelGradient(TrainSettings.Loss.SOFTMAX, SCORES.clone(), 3,
                new SplittableRandom(1))).hasMessageContaining("bpr or bce, found softmax");
    }
}
