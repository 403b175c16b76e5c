package org.fedrec.privacy.secagg;

/**
 * A party broke the protocol: a message for the wrong round or stage, from or to the wrong client, of the
 * wrong shape, tampered with, or a call in a state that does not allow it. The message names the party,
 * the round, the stage and what was expected against what was found.
 */
public class SecAggProtocolException extends RuntimeException {

    public SecAggProtocolException(String message) {
        super(message);
    }
}
