package org.fedrec.core;

/**
 * Observes a run: progress bars, metric writers, dashboards. Listeners are called on the round loop's
 * thread; an exception from a listener stops the run, because a run whose records cannot be written is
 * not worth continuing.
 */
public interface RunListener {

    default void onRunStart(int rounds, ModelState initial) {
    }

    default void onRoundEnd(RoundRecord record, ModelState global) {
    }

    default void onRunEnd(RunResult result) {
    }
}
