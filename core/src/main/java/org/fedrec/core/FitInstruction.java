package org.fedrec.core;

import java.util.Objects;

/** The server's request that one client train on its local data, starting from {@code global}. */
public record FitInstruction(String clientId, ModelState global, RoundConfig config) {
    public FitInstruction {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(config, "config");
    }

    /**
     * Bytes the server sends with this instruction: the global model as dense fp32, 4 per parameter (the
     * round config and framing are not counted).
     */
    public long wireBytes() {
        return 4L * global.parameterCount();
    }
}
