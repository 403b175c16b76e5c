package org.fedrec.core;

import java.util.List;
import java.util.Objects;

/**
 * Builds the client with a given id when it is needed. Fleets hold factories, not instances, so a
 * population of a million virtual clients costs nothing until a client is sampled. A factory must be safe
 * to call from several threads at once, and private state must outlive the instance (a client built twice
 * sees the state its previous instance left).
 */
@FunctionalInterface
public interface ClientFactory {
    Client create(String clientId);

    /**
     * A factory whose clients pass every training result through {@code interceptors}, first to last,
     * before returning it; evaluation is unchanged. An interceptor that returns null, or a result for
     * another client, fails that client's fit with an {@link IllegalStateException} naming both.
     */
    static ClientFactory intercepted(ClientFactory base, List<ClientInterceptor> interceptors) {
        Objects.requireNonNull(base, "base");
        List<ClientInterceptor> chain = List.copyOf(interceptors);
        if (chain.isEmpty()) {
            return base;
        }
        return id -> new InterceptedClient(base.create(id), chain);
    }
}
