package org.fedrec.privacy.secagg;

/**
 * The round cannot complete because too many clients dropped out: some secret would need more shares than
 * the surviving clients hold. The server aborts before it asks for (or before it uses) any share, so an
 * aborted round reveals no client's input. Names the stage and the client whose secret fell short.
 */
public final class SecAggAbortedException extends RuntimeException {

    private final Stage stage;

    public SecAggAbortedException(long round, Stage stage, String reason) {
        super("secure aggregation round " + round + " aborted at stage " + stage + ": " + reason);
        this.stage = stage;
    }

    /** The stage whose end found too few clients. */
    public Stage stage() {
        return stage;
    }
}
