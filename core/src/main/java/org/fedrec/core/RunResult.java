package org.fedrec.core;

import java.util.List;

/**
 * The outcome of a run. {@code best} is the model at the evaluation the stopping rule chose (the last
 * model when no evaluation reported the monitored metric), and {@code bestRecord} that round's record.
 */
public record RunResult(ModelState last, ModelState best, RoundRecord bestRecord, List<RoundRecord> history,
                        Ending ending, long wallNanos) {

    /**
     * Why the run ended: all rounds ran, early stopping, a stop request, or the next round would have
     * exceeded the run's budget (e.g. its privacy budget).
     */
    public enum Ending { COMPLETED, EARLY_STOPPED, INTERRUPTED, BUDGET_EXHAUSTED }

    public RunResult {
        history = List.copyOf(history);
    }

    /**
     * The last recorded round: the number of rounds run by {@link RoundLoop} (one record per round), the last
     * evaluated server version of {@link AsyncLoop} (one record per evaluation).
     */
    public int roundsRun() {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).round();
    }
}
