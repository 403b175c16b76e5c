package org.fedrec.models.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs a per-user metric over users in parallel. Users that are not evaluated (no test item) are dropped
 * first; the rest are cut into chunks of {@link #CHUNK_USERS} consecutive entries whatever the parallelism;
 * each chunk is summed in user order and the chunk sums are added in chunk order. So for a given list of
 * users the result is the same, bit for bit, for every number of threads, and whether or not the list
 * names users that are skipped.
 */
final class UserEvaluation {
    static final int CHUNK_USERS = 64;

    /** Per-thread state of an evaluation: buffers, a top-K heap. Used by one thread at a time. */
    interface Worker {
        /** Adds the metric values of an evaluated user to {@code sums}. */
        void accumulate(int user, double[] sums);
    }

    private UserEvaluation() {
    }

    /**
     * Sums the metrics over the {@code users} that pass {@code evaluated}.
     *
     * @param parallelism the number of threads, 0 for one per available core
     */
    static MetricSums run(List<String> names, int numUsers, int[] requested, IntPredicate evaluated,
            int parallelism, Supplier<? extends Worker> workers) {
        if (parallelism < 0) {
            throw new IllegalArgumentException("expected parallelism >= 0 (0 = all cores), found " + parallelism);
        }
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] < 0 || requested[i] >= numUsers) {
                throw new IllegalArgumentException("users[" + i + "]: expected a user index in [0, " + numUsers
                        + "), found " + requested[i]);
            }
        }
        int[] users = IntStream.of(requested).filter(evaluated).toArray();
        int chunks = (users.length + CHUNK_USERS - 1) / CHUNK_USERS;
        double[][] chunkSums = new double[chunks][names.size()];
        int threads = Math.min(parallelism == 0 ? Runtime.getRuntime().availableProcessors() : parallelism,
                chunks);
        if (threads <= 1) {
            Worker worker = workers.get();
            for (int c = 0; c < chunks; c++) {
                runChunk(worker, users, c, chunkSums[c]);
            }
        } else {
            runParallel(threads, chunks, workers, users, chunkSums);
        }
        double[] total = new double[names.size()];
        for (int c = 0; c < chunks; c++) {
            for (int m = 0; m < total.length; m++) {
                total[m] += chunkSums[c][m];
            }
        }
        return MetricSums.owning(names, total, users.length);
    }

    private static void runChunk(Worker worker, int[] users, int chunk, double[] sums) {
        for (int i = chunk * CHUNK_USERS, end = Math.min(users.length, i + CHUNK_USERS); i < end; i++) {
            worker.accumulate(users[i], sums);
        }
    }

    private static void runParallel(int threads, int chunks, Supplier<? extends Worker> workers, int[] users,
            double[][] chunkSums) {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger threadIds = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fedrec-eval-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    Worker worker = workers.get();
                    try {
                        for (int c; !failed.get() && (c = next.getAndIncrement()) < chunks; ) {
                            runChunk(worker, users, c, chunkSums[c]);
                        }
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("interrupted while evaluating");
            c.initCause(e);
            throw c;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sorted distinct cutoffs, each >= 1; {@code defaultCutoff} alone if none are given. */
    static int[] cutoffs(int[] given, int defaultCutoff) {
        if (given == null || given.length == 0) {
            return new int[] {defaultCutoff};
        }
        int[] ks = given.clone();
        Arrays.sort(ks);
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 1) {
                throw new IllegalArgumentException("expected cutoffs K >= 1, found " + ks[i]);
            }
            if (i > 0 && ks[i] == ks[i - 1]) {
                throw new IllegalArgumentException("expected distinct cutoffs, found " + ks[i] + " twice in "
                        + Arrays.toString(given));
            }
        }
        return ks;
    }

    static IllegalStateException nanScore(int user, int item) {
        return new IllegalStateException("scorer returned NaN for user " + user + ", item " + item
                + "; expected a number");
    }
}
