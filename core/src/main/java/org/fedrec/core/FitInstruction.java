package org.fedrec.core;

import java.util.Objects;

/**
 * The server's request that one client train on its local data, starting from {@code global}.
 *
 * @param wireBytes bytes the server sends with this instruction: the global model as it travels (the round
 *                  config and framing are not counted)
 */
public record FitInstruction(String clientId, ModelState global, RoundConfig config, long wireBytes) {
    public FitInstruction {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(config, "config");
        if (wireBytes < 0) {
            throw new IllegalArgumentException("client " + clientId + ": wire bytes must be >= 0, found " + wireBytes);
        }
    }

    /** The same instruction with another round config; the model and its wire bytes are kept. */
    public FitInstruction withConfig(RoundConfig other) {
        return new FitInstruction(clientId, global, other, wireBytes);
    }

    /** An instruction that sends {@code global} as dense fp32, 4 bytes per parameter. */
    public FitInstruction(String clientId, ModelState global, RoundConfig config) {
        this(clientId, global, config, 4L * Objects.requireNonNull(global, "global").parameterCount());
    }
}
