package org.fedrec.models.internal;

import org.fedrec.models.TrainSettings;

/**
 * The training objectives over the scores of one positive (candidate 0) and its sampled negatives
 * (candidates 1..k), with their derivatives by the scores. The formulas are those documented on
 * {@link org.fedrec.models.MatrixFactorization}.
 */
public final class Losses {

    private Losses() {
    }

    /**
     * Replaces {@code score[0..k]} by {@code dLoss/dScore} in place and returns the loss.
     *
     * @param invTemperature {@code 1 / T} for the sampled softmax; ignored by the other losses
     */
    public static double lossAndGradient(TrainSettings.Loss loss, float invTemperature, float[] score, int k) {
        double value = 0;
        switch (loss) {
            case BPR -> {
                float pos = score[0];
                float sum = 0;
                for (int c = 1; c <= k; c++) {
                    // One exp serves both: with e = exp(-|x|), sigmoid(x) and softplus(x) = max(x, 0) + log1p(e).
                    float x = score[c] - pos;
                    double e = Math.exp(-Math.abs(x));
                    value += Math.max(x, 0) + Math.log1p(e);
                    float g = (float) (x >= 0 ? 1 / (1 + e) : e / (1 + e));
                    score[c] = g;
                    sum += g;
                }
                score[0] = -sum;
            }
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c <= k; c++) {
                    max = Math.max(max, score[c] * invTemperature);
                }
                double z = 0;
                for (int c = 0; c <= k; c++) {
                    float e = (float) Math.exp(score[c] * invTemperature - max);
                    score[c] = e;
                    z += e;
                }
                value = -Math.log(score[0] / z);
                for (int c = 0; c <= k; c++) {
                    score[c] = (float) ((score[c] / z - (c == 0 ? 1 : 0)) * invTemperature);
                }
            }
            case BCE -> {
                value += Vectors.softplus(-score[0]);
                score[0] = -Vectors.sigmoid(-score[0]);
                for (int c = 1; c <= k; c++) {
                    value += Vectors.softplus(score[c]);
                    score[c] = Vectors.sigmoid(score[c]);
                }
            }
            default -> throw new IllegalStateException("unknown loss " + loss);
        }
        return value;
    }
}
