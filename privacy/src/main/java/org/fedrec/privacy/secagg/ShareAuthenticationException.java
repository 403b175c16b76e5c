package org.fedrec.privacy.secagg;

/**
 * An encrypted share failed AES-GCM authentication: it was altered in transit, redirected or replayed.
 * Names the sender and the intended recipient.
 */
public final class ShareAuthenticationException extends SecAggProtocolException {

    private final String sender;
    private final String recipient;

    public ShareAuthenticationException(long round, String sender, String recipient) {
        super("round " + round + ": the encrypted share from client " + sender + " to client " + recipient
                + " failed authentication (AES-GCM tag mismatch): it was altered, redirected or replayed");
        this.sender = sender;
        this.recipient = recipient;
    }

    public String sender() {
        return sender;
    }

    public String recipient() {
        return recipient;
    }
}
