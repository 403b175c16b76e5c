package org.fedrec.core;

import java.util.List;

/**
 * The outcome of a run. {@code best} is the model at the evaluation the stopping rule chose (the last
 * model when no evaluation reported the monitored metric), and {@code bestRecord} that round's record.
 */
public record RunResult(ModelState last, ModelState best, RoundRecord bestRecord, List<RoundRecord> history,
                        Ending ending, long wallNanos) {

    /** Why the run ended. */
    public enum Ending { COMPLETED, EARLY_STOPPED, INTERRUPTED }

    public RunResult {
        history = List.copyOf(history);
    }

    public int roundsRun() {
        return history.size();
    }
}
