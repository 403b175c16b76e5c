package org.fedrec.core;

/**
 * Client-side processing of a training result after local training and before the update leaves the
 * client: clipping, local noise, masking, compression. Interceptors are the client half of a privacy or
 * robustness mechanism whose server half is a {@link Strategy} decorator.
 *
 * <p>An interceptor must not modify its inputs (the instruction, the result or the arrays of its update):
 * it returns a new {@link FitResult}, which may share unchanged deltas with the input. It runs on the
 * client's thread and must be safe to call from several threads at once. Randomness comes from
 * {@code context.random()} (split further by purpose), never from a global generator.
 */
@FunctionalInterface
public interface ClientInterceptor {

    /** The result to send instead of {@code result}; never null. */
    FitResult afterFit(FitInstruction instruction, FitResult result, ClientContext context);
}
