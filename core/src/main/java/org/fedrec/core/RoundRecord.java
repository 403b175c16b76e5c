package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened in one round: training metrics from the strategy, evaluation metrics when the round
 * evaluated (empty otherwise), and how long the round took.
 */
public record RoundRecord(int round, Map<String, Double> fitMetrics, Map<String, Double> evaluateMetrics,
                          long fitNanos, long evaluateNanos) {
    public RoundRecord {
        fitMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(fitMetrics));
        evaluateMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(evaluateMetrics));
    }

    public boolean evaluated() {
        return !evaluateMetrics.isEmpty();
    }
}
