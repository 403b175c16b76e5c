package org.fedrec.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Runs clients inside this JVM on a fixed pool of worker threads (all cores by default). Clients are
 * built from the factory when sampled. Results come back in instruction order, so aggregation, and so the
 * run, is the same whatever the thread timing.
 */
public final class InMemoryFleet implements Fleet {

    private final ClientFactory factory;
    private final List<String> clientIds;
    private final RandomSource random;
    private final int threads;
    private final ExecutorService pool;

    /**
     * @param factory   builds a client for an id
     * @param clientIds the population, in a stable order; kept as given, not copied (a million ids can be a
     *                  view that derives each id from its index), so it must not change afterwards
     * @param random    the run's random source; each client and round gets its own split of it
     * @param threads   worker threads; 0 means all available cores
     */
    public InMemoryFleet(ClientFactory factory, List<String> clientIds, RandomSource random, int threads) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clientIds = java.util.Collections.unmodifiableList(Objects.requireNonNull(clientIds, "clientIds"));
        this.random = Objects.requireNonNull(random, "random");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), found " + threads);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "fedrec-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(this.threads, tf);
    }

    public int threads() {
        return threads;
    }

    @Override
    public List<String> availableClients() {
        return clientIds;
    }

    @Override
    public Responses<FitResult> fit(int round, List<FitInstruction> instructions) {
        return runAll(round, instructions, ClientFailure.Phase.FIT, FitInstruction::clientId,
                (ins, ctx) -> factory.create(ins.clientId()).fit(ins, ctx));
    }

    @Override
    public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
        return runAll(round, instructions, ClientFailure.Phase.EVALUATE, EvaluateInstruction::clientId,
                (ins, ctx) -> factory.create(ins.clientId()).evaluate(ins, ctx));
    }

    private <I, R> Responses<R> runAll(int round, List<I> instructions, ClientFailure.Phase phase,
                                       java.util.function.Function<I, String> idOf,
                                       BiFunction<I, ClientContext, R> call) {
        int n = instructions.size();
        Object[] outcomes = new Object[n];
        AtomicInteger next = new AtomicInteger();
        String purpose = phase == ClientFailure.Phase.FIT ? "fit" : "evaluate";
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                I ins = instructions.get(i);
                String id = idOf.apply(ins);
                try {
                    ClientContext ctx = new ClientContext(round, random.split(purpose, round, id));
                    outcomes[i] = Objects.requireNonNull(call.apply(ins, ctx), "client returned null");
                } catch (RuntimeException e) {
                    outcomes[i] = ClientFailure.of(id, round, phase, e);
                }
            }
        };
        int workers = Math.min(threads, Math.max(1, n));
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(worker));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while waiting for clients in round " + round, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("client worker failed in round " + round, cause);
            }
        }
        List<R> results = new ArrayList<>(n);
        List<ClientFailure> failures = new ArrayList<>();
        for (Object o : outcomes) {
            if (o instanceof ClientFailure f) {
                failures.add(f);
            } else {
                @SuppressWarnings("unchecked")
                R r = (R) o;
                results.add(r);
            }
        }
        return new Responses<>(results, failures);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
