package org.fedrec.core;

/**
 * A round's training aggregation folded one client at a time, so that a round holds the running sums
 * instead of every client's update. A {@link Strategy} offers one through {@link Strategy#streamingFit};
 * a {@link Fleet} feeds it through {@link Fleet#fit(int, java.util.List, FitAccumulator)}.
 *
 * <p>Calls come from one thread at a time, results in instruction order (failures in any order), and
 * {@link #finish()} last, once. Given the same results in the same order, {@code finish()} returns what
 * {@link Strategy#aggregateFit} returns for the lists of them.
 */
public interface FitAccumulator {

    /** Folds one client's result in; the accumulator keeps no reference to it. */
    void add(FitResult result);

    /** Counts a client that did not answer. */
    void addFailure(ClientFailure failure);

    /** The next global model and the round's training metrics. */
    Strategy.Aggregate finish();
}
