package org.fedrec.core;

import java.util.Objects;

/**
 * A client that did not answer in a round: it threw, timed out or dropped out. Failures go back to the
 * strategy as values, never as exceptions out of the round loop.
 */
public record ClientFailure(String clientId, int round, Phase phase, String message) {

    /** Which request failed. */
    public enum Phase { FIT, EVALUATE }

    public ClientFailure {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
    }

    public static ClientFailure of(String clientId, int round, Phase phase, Throwable cause) {
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new ClientFailure(clientId, round, phase, text);
    }

    @Override
    public String toString() {
        return "client " + clientId + " failed " + phase.name().toLowerCase() + " in round " + round + ": " + message;
    }
}
