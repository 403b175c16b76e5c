package org.fedrec.models.internal;

import java.util.SplittableRandom;

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

    /**
     * The gradient of a padding step ({@link TrainSettings.ItemHiding#PADDING}): candidate 0 is a fake item
     * the user never interacted with, candidates 1..k its sampled negatives. Its label y is drawn from the
     * model's own belief p, then {@code score[0..k]} is replaced by the gradient of the loss under that label:
     * <ul>
     *   <li>BPR: {@code p = (1/k) sum_k sigma(s_0 - s_k)}. y = 1 is the BPR step of a positive; y = 0 the
     *       reversed pairs, {@code L = sum_k softplus(s_0 - s_k)}: {@code dS_0 = sum_k sigma(s_0 - s_k)},
     *       {@code dS_k = -sigma(s_0 - s_k)}.</li>
     *   <li>BCE: {@code p = sigma(s_0)}. y = 1 is the step of a positive; y = 0 takes candidate 0 as one
     *       more negative, {@code dS_0 = sigma(s_0)}.</li>
     * </ul>
     * In both, the expectation over y of {@code dS_0} is exactly 0 ({@code -p k (1 - p) + (1 - p) k p} for
     * BPR, {@code -p (1 - p) + (1 - p) p} for BCE), and for BPR the expected {@code dS} sum to 0 over the
     * negatives as well: the fake item's score gets noise, not a push. Returns the loss under the drawn label.
     */
    public static double virtualLabelGradient(TrainSettings.Loss loss, float[] score, int k, SplittableRandom random) {
        switch (loss) {
            case BPR -> {
                double p = 0;
                for (int c = 1; c <= k; c++) {
                    p += Vectors.sigmoid(score[0] - score[c]);
                }
                p /= k;
                if (random.nextDouble() < p) {
                    return lossAndGradient(loss, 1, score, k);
                }
                double value = 0;
                float sum = 0;
                for (int c = 1; c <= k; c++) {
                    float x = score[0] - score[c];
                    value += Vectors.softplus(x);
                    float g = Vectors.sigmoid(x);
                    score[c] = -g;
                    sum += g;
                }
                score[0] = sum;
                return value;
            }
            case BCE -> {
                if (random.nextDouble() < Vectors.sigmoid(score[0])) {
                    return lossAndGradient(loss, 1, score, k);
                }
                double value = 0;
                for (int c = 0; c <= k; c++) {
                    value += Vectors.softplus(score[c]);
                    score[c] = Vectors.sigmoid(score[c]);
                }
                return value;
            }
            default -> throw new IllegalArgumentException("padding draws a virtual label for loss bpr or bce, found "
                    + loss.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The step of {@link TrainSettings.ItemHiding#DENSE}: candidate 0 is the positive and candidates 1..n
     * are every item the user has not interacted with, each weighted {@code w}, so that the loss and
     * {@code score[0..n]} (replaced by {@code dLoss/dScore}) are the expectation of the step with
     * {@code negatives} uniform negatives when {@code w = negatives / n}:
     * BPR {@code L = w sum_j softplus(s_j - s_0)}, BCE {@code L = softplus(-s_0) + w sum_j softplus(s_j)}.
     */
    public static double expectedOverNegatives(TrainSettings.Loss loss, float[] score, int n, float w) {
        switch (loss) {
            case BPR -> {
                double value = lossAndGradient(loss, 1, score, n);
                for (int c = 0; c <= n; c++) {
                    score[c] *= w;
                }
                return w * value;
            }
            case BCE -> {
                double value = Vectors.softplus(-score[0]);
                score[0] = -Vectors.sigmoid(-score[0]);
                double negatives = 0;
                for (int c = 1; c <= n; c++) {
                    negatives += Vectors.softplus(score[c]);
                    score[c] = w * Vectors.sigmoid(score[c]);
                }
                return value + w * negatives;
            }
            default -> throw new IllegalArgumentException("dense hiding takes the expectation over negatives for loss "
                    + "bpr or bce, found " + loss.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A row that appears twice among a step's candidates (a negative drawn twice) gets the sum of its data
     * gradients and one penalty, so every row is updated once per step from its pre-step value: the
     * repeat's {@code dS} is added to its first occurrence and its slot set to -1.
     */
    public static void mergeRepeatedCandidates(int[] cand, float[] dS, int k) {
        for (int c = 1; c <= k; c++) {
            for (int e = 0; e < c; e++) {
                if (cand[e] == cand[c]) {
                    dS[e] += dS[c];
                    cand[c] = -1;
                    break;
                }
            }
        }
    }
}
