package org.fedrec.models.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Metrics of click (binary relevance) prediction over examples with a score or probability and a label.
 *
 * <p>Neither is a per-user mean: AUC in particular does not decompose over clients (the mean of the
 * clients' AUCs is not the AUC of all their examples), so a federated run computes it where the scores
 * are, or reports it per client.
 */
public final class ClickMetrics {
    public static final String AUC = "AUC";
    public static final String LOG_LOSS = "LogLoss";
    /** The least probability {@link #logLoss} gives the observed label. */
    public static final double EPSILON = 1e-15;

    private ClickMetrics() {
    }

    /** {@link #AUC} and {@link #LOG_LOSS} of probabilities, in that order. */
    public static Map<String, Double> evaluate(float[] probabilities, boolean[] labels) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(AUC, auc(probabilities, labels));
        m.put(LOG_LOSS, logLoss(probabilities, labels));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random negative,
     * counting ties as one half. Computed as the Mann–Whitney statistic: with {@code R+} the sum of the
     * positives' 1-based ranks in ascending score order, tied scores sharing the average of their ranks,
     * {@code AUC = (R+ - n+(n+ + 1)/2) / (n+ n-)}. {@code O(n log n)}, no boxing. Scores may be any
     * finite or infinite floats (logits, probabilities); {@code -0.0} equals {@code 0.0}.
     *
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or only one class is present
     */
    public static double auc(float[] scores, boolean[] labels) {
        int n = checkedLength(scores, labels);
        long[] keyed = new long[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("scores[" + i + "]: expected a number, found NaN");
            }
            keyed[i] = ((long) sortableBits(s) << 32) | i;
            if (labels[i]) {
                positives++;
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs both classes; expected positive and negative labels, found "
                    + positives + " positive and " + negatives + " negative of " + n);
        }
        Arrays.sort(keyed);
        double positiveRankSum = 0;
        for (int start = 0; start < n; ) {
            int key = (int) (keyed[start] >> 32);
            int end = start + 1;
            while (end < n && (int) (keyed[end] >> 32) == key) {
                end++;
            }
            // Ranks start+1 .. end share their average.
            double averageRank = (start + 1 + end) / 2.0;
            for (int j = start; j < end; j++) {
                if (labels[(int) keyed[j]]) {
                    positiveRankSum += averageRank;
                }
            }
            start = end;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Binary cross-entropy, the mean of {@code -log(max(p, 1e-15))} over positives and
     * {@code -log(max(1 - p, 1e-15))} over negatives (natural logarithm): {@code p} clamped to
     * {@code [1e-15, 1 - 1e-15]}, so a certain mistake costs {@code -log(1e-15) ≈ 34.54}, not infinity.
     *
     * @throws IllegalArgumentException if the lengths differ, there are no examples, or a probability is
     *     outside {@code [0, 1]}
     */
    public static double logLoss(float[] probabilities, boolean[] labels) {
        int n = checkedLength(probabilities, labels);
        if (n == 0) {
            throw new IllegalArgumentException("log-loss needs examples; found none");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities[" + i + "]: expected a probability in [0, 1], found "
                        + p);
            }
            // 1 - p is exact in double for a float p, so both classes clamp alike.
            sum -= Math.log(Math.max(labels[i] ? p : 1 - p, EPSILON));
        }
        return sum / n;
    }

    private static int checkedLength(float[] values, boolean[] labels) {
        Objects.requireNonNull(values, "scores");
        Objects.requireNonNull(labels, "labels");
        if (values.length != labels.length) {
            throw new IllegalArgumentException("expected one label per score, found " + values.length
                    + " scores and " + labels.length + " labels");
        }
        return values.length;
    }

    /** An int whose signed order is the numeric order of the (non-NaN) float; -0.0 maps as 0.0. */
    private static int sortableBits(float s) {
        int bits = Float.floatToIntBits(s + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
