package org.fedrec.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Runs clients inside this JVM on a fixed pool of worker threads (all cores by default). Clients are
 * built from the factory when sampled. Results come back in instruction order, so aggregation, and so the
 * run, is the same whatever the thread timing. Workers run at most {@link #WINDOW_PER_THREAD} clients per
 * thread ahead of the oldest unfinished one; {@link #fit(int, List, FitAccumulator)} folds results as they
 * leave that window, so a round's memory is bounded by the window, not the cohort.
 */
public final class InMemoryFleet implements Fleet {

    /** Clients per worker thread that may be trained or waiting to be handed over at once. */
    public static final int WINDOW_PER_THREAD = 8;

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
        List<FitResult> results = new ArrayList<>(instructions.size());
        List<ClientFailure> failures = new ArrayList<>();
        runInOrder(round, instructions, ClientFailure.Phase.FIT, FitInstruction::clientId, this::fitOne, results::add,
                failures::add);
        return new Responses<>(results, failures);
    }

    /**
     * Folds each result into {@code into} on the calling thread as soon as it and every result before it
     * are done, so a round holds at most {@link #WINDOW_PER_THREAD} results per thread, whatever its size,
     * and folds them in the order {@link #fit(int, List)} lists them.
     */
    @Override
    public Map<String, Double> fit(int round, List<FitInstruction> instructions, FitAccumulator into) {
        runInOrder(round, instructions, ClientFailure.Phase.FIT, FitInstruction::clientId, this::fitOne, into::add,
                into::addFailure);
        return Map.of();
    }

    @Override
    public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
        List<EvaluateResult> results = new ArrayList<>(instructions.size());
        List<ClientFailure> failures = new ArrayList<>();
        runInOrder(round, instructions, ClientFailure.Phase.EVALUATE, EvaluateInstruction::clientId,
                (ins, ctx) -> factory.create(ins.clientId()).evaluate(ins, ctx), results::add, failures::add);
        return new Responses<>(results, failures);
    }

    private FitResult fitOne(FitInstruction ins, ClientContext ctx) {
        return factory.create(ins.clientId()).fit(ins, ctx);
    }

    /**
     * Runs every instruction on the pool, at most {@code threads * WINDOW_PER_THREAD} past the oldest one not
     * yet handed over, and hands each outcome to {@code onResult} or {@code onFailure} on this thread, in
     * instruction order. If a consumer throws, the clients still queued are cancelled and the exception
     * propagates.
     */
    private <I, R> void runInOrder(int round, List<I> instructions, ClientFailure.Phase phase, Function<I, String> idOf,
                                   BiFunction<I, ClientContext, R> call, Consumer<R> onResult,
                                   Consumer<ClientFailure> onFailure) {
        int n = instructions.size();
        String purpose = phase == ClientFailure.Phase.FIT ? "fit" : "evaluate";
        IntFunction<Callable<Object>> task = i -> () -> {
            I ins = instructions.get(i);
            String id = idOf.apply(ins);
            try {
                ClientContext ctx = new ClientContext(round, random.split(purpose, round, id));
                return Objects.requireNonNull(call.apply(ins, ctx), "client returned null");
            } catch (RuntimeException e) {
                return ClientFailure.of(id, round, phase, e);
            }
        };
        int window = threads * WINDOW_PER_THREAD;
        ArrayDeque<Future<Object>> inFlight = new ArrayDeque<>(window);
        int submitted = 0;
        try {
            for (; submitted < n && submitted < window; submitted++) {
                inFlight.add(pool.submit(task.apply(submitted)));
            }
            for (int i = 0; i < n; i++) {
                Object outcome = inFlight.removeFirst().get();
                if (submitted < n) {
                    inFlight.add(pool.submit(task.apply(submitted++)));
                }
                if (outcome instanceof ClientFailure f) {
                    onFailure.accept(f);
                } else {
                    @SuppressWarnings("unchecked")
                    R r = (R) outcome;
                    onResult.accept(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for clients in round " + round, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("client worker failed in round " + round, cause);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
