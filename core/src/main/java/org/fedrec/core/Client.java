package org.fedrec.core;

/**
 * A participant holding local data and private state (for recommenders: its users' embeddings). Private
 * state never appears in a {@link FitResult}: only deltas of global tables do.
 */
public interface Client {

    /** Trains locally from {@code instruction.global()} and returns the change to the global tables. */
    FitResult fit(FitInstruction instruction, ClientContext context);

    /** Evaluates {@code instruction.global()} together with the private state on local held-out data. */
    EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context);
}
