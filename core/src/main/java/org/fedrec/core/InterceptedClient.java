package org.fedrec.core;

import java.util.List;

/** A client whose training results pass through a chain of {@link ClientInterceptor}s. */
final class InterceptedClient implements Client {

    private final Client client;
    private final List<ClientInterceptor> chain;

    InterceptedClient(Client client, List<ClientInterceptor> chain) {
        this.client = client;
        this.chain = chain;
    }

    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
        FitResult result = client.fit(instruction, context);
        for (ClientInterceptor interceptor : chain) {
            FitResult next = interceptor.afterFit(instruction, result, context);
            if (next == null) {
                throw new IllegalStateException("interceptor " + interceptor + " returned no result for client "
                        + result.clientId() + " in round " + context.round());
            }
            if (!next.clientId().equals(result.clientId())) {
                throw new IllegalStateException("interceptor " + interceptor + " turned the result of client "
                        + result.clientId() + " into one of client " + next.clientId() + " in round "
                        + context.round());
            }
            result = next;
        }
        return result;
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
        return client.evaluate(instruction, context);
    }
}
