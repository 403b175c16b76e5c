package org.fedrec.core;

import java.util.Map;

/**
 * The bookkeeping of a {@link StoppingRule} shared by the loops: the best model and record so far, and
 * whether patience ran out. With no rule, or before any evaluation reported the metric, the latest model
 * is the best known. An evaluation in which some client failed is never the best: its mean covers only the
 * clients that succeeded (a model diverging to NaN fails most of them, and the few left can score anything),
 * so it counts as a round without improvement.
 */
final class EarlyStopping {

    private final StoppingRule rule;
    private ModelState best;
    private RoundRecord bestRecord;
    private double bestValue = Double.NaN;
    private int sinceBest;

    EarlyStopping(StoppingRule rule, ModelState initial) {
        this.rule = rule;
        this.best = initial;
    }

    /**
     * Offers a record and the model after it; true when patience ran out (the run should stop).
     * {@code evaluationFailures}: clients whose evaluation failed in this record's round.
     */
    boolean offer(RoundRecord record, ModelState global, Map<String, Double> evalMetrics, int evaluationFailures) {
        Double monitored = rule == null ? null : evalMetrics.get(rule.metric());
        if (monitored != null && !monitored.isNaN()) {
            boolean complete = evaluationFailures == 0;
            if (complete && (Double.isNaN(bestValue) || rule.improves(monitored, bestValue))) {
                best = global;
                bestRecord = record;
                bestValue = monitored;
                sinceBest = 0;
            } else {
                return rule.patience() > 0 && ++sinceBest >= rule.patience();
            }
        } else if (Double.isNaN(bestValue)) {
            best = global;
            bestRecord = record;
        }
        return false;
    }

    ModelState best() {
        return best;
    }

    RoundRecord bestRecord() {
        return bestRecord != null ? bestRecord : new RoundRecord(0, Map.of(), Map.of(), 0, 0);
    }
}
