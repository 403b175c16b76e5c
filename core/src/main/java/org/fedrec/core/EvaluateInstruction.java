package org.fedrec.core;

import java.util.Objects;

/** The server's request that one client evaluate {@code global} on its local held-out data. */
public record EvaluateInstruction(String clientId, ModelState global, RoundConfig config) {
    public EvaluateInstruction {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(config, "config");
    }
}
