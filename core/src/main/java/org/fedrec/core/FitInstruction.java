package org.fedrec.core;

import java.util.Objects;

/** The server's request that one client train on its local data, starting from {@code global}. */
public record FitInstruction(String clientId, ModelState global, RoundConfig config) {
    public FitInstruction {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(config, "config");
    }
}
