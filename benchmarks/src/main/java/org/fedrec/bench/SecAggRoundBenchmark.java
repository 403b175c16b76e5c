package org.fedrec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import org.fedrec.core.Clock;
import org.fedrec.core.SplitMix64;
import org.fedrec.privacy.secagg.FixedPoint;
import org.fedrec.privacy.secagg.InMemorySecAgg;
import org.fedrec.privacy.secagg.NeighbourGraph;
import org.fedrec.privacy.secagg.RoundSetup;
import org.fedrec.privacy.secagg.Stage;

/**
 * One secure-aggregation round at scale against plain aggregation of the same inputs: n clients (default
 * 1,000), each with a vector of {@code length} floats (default 100,000), a fraction (default 30%) dropping
 * after the key-sharing stage, SecAgg+ with a random Harary graph of degree k and threshold t. Prints the
 * per-client time, bytes up and down, the server's time and bytes, the round's wall time, the same
 * figures for plain aggregation (each client sends its floats, the server adds them), and the ratios.
 * Checks that the unmasked aggregate equals the plain sum of the encodings exactly, and the plain float
 * sum to within the fixed-point rounding.
 *
 * <p>The default k = 30 and t = 10: with 30% of clients dropping independently, a client's k neighbours
 * keep fewer than t members with probability P(Bin(30, 0.7) < 10) = 7e-6, so the round aborts with
 * probability under 1% across 1,000 clients (k = 20 would need t = 6 for the same). Inputs are N(0, 0.01²)
 * encoded into Z_2^32 at scale 2^20 with range 1 (1,000 x 2^20 < 2^31: no wrap).
 *
 * <p>A warm-up round of 50 clients runs first so that AES-CTR and X25519 are compiled. Run with
 * {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar org.fedrec.bench.SecAggRoundBenchmark
 * [clients] [length] [dropFraction] [degree] [threshold]}.
 */
public final class SecAggRoundBenchmark {

    static final long SEED = 2017;
    static final FixedPoint CODEC = new FixedPoint(1.0, 0x1p20, 32);

    private SecAggRoundBenchmark() {
    }

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        double dropFraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.3;
        int degree = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int threshold = args.length > 4 ? Integer.parseInt(args[4]) : 10;

        System.out.printf("warm-up: 50 clients x %d%n", length);
        run(50, length, dropFraction, Math.min(degree, 48), Math.min(threshold, 10), false);
        System.out.printf("%nmeasured: %d clients x %d floats, %.0f%% dropping after ShareKeys, SecAgg+ k=%d, t=%d,"
                + " Z_2^32, %d cores%n", clients, length, 100 * dropFraction, degree, threshold,
                Runtime.getRuntime().availableProcessors());
        run(clients, length, dropFraction, degree, threshold, true);
    }

    static void run(int n, int length, double dropFraction, int degree, int threshold, boolean report) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("client-" + i);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        new SplitMix64(SEED + 1).shuffle(order, 0, n); // not the graph's seed: drops independent of the ring
        Map<String, Stage> drops = new HashMap<>();
        int dropped = (int) Math.round(dropFraction * n);
        for (int i = 0; i < dropped; i++) {
            drops.put(ids.get(order[i]), Stage.MASKED_INPUT);
        }
        List<String> survivors = new ArrayList<>();
        for (String id : ids) {
            if (!drops.containsKey(id)) {
                survivors.add(id);
            }
        }
        CODEC.requireCapacity(n);
        Map<String, float[]> floats = new ConcurrentHashMap<>();
        Map<String, long[]> encoded = new ConcurrentHashMap<>();
        survivors.parallelStream().forEach(id -> {
            SplittableRandom rng = new SplittableRandom(SEED ^ id.hashCode());
            float[] x = new float[length];
            long[] e = new long[length];
            for (int i = 0; i < length; i++) {
                x[i] = (float) (0.01 * rng.nextGaussian());
                e[i] = CODEC.encode(x[i], id);
            }
            floats.put(id, x);
            encoded.put(id, e);
        });

        // plain aggregation: each survivor sends its floats; the server adds them
        long plainClientNanos = 0;
        long plainServerNanos = 0;
        long plainBytes = 0;
        double[] plainSum = new double[length];
        for (String id : survivors) {
            long t0 = THREAD_CPU.nanoTime();
            ByteBuffer wire = ByteBuffer.allocate(4 + length * 4);
            wire.putInt(length).asFloatBuffer().put(floats.get(id));
            byte[] bytes = wire.array();
            long t1 = THREAD_CPU.nanoTime();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int m = in.getInt();
            for (int i = 0; i < m; i++) {
                plainSum[i] += in.getFloat();
            }
            long t2 = THREAD_CPU.nanoTime();
            plainClientNanos += t1 - t0;
            plainServerNanos += t2 - t1;
            plainBytes += bytes.length;
        }

        RoundSetup setup = new RoundSetup(1, ids, threshold, length, 32, NeighbourGraph.harary(n, degree, SEED));
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        InMemorySecAgg.Outcome out = new InMemorySecAgg(THREAD_CPU, true, null)
                .run(setup, drops, id -> InMemorySecAgg.seededRandom(SEED * 31 + id.hashCode()), encoded::get);
        long cpu = processCpuNanos() - cpuStart;
        long wall = System.nanoTime() - start;
        if (out.aborted()) {
            throw new IllegalStateException("the round aborted: " + out.abort().getMessage());
        }

        long[] exact = new long[length];
        for (String id : out.result().contributors()) {
            long[] e = encoded.get(id);
            for (int i = 0; i < length; i++) {
                exact[i] += e[i];
            }
        }
        int exactMismatches = 0;
        double maxError = 0;
        for (int i = 0; i < length; i++) {
            if ((exact[i] & 0xFFFF_FFFFL) != out.result().sum()[i]) {
                exactMismatches++;
            }
            maxError = Math.max(maxError, Math.abs(CODEC.decode(out.result().sum()[i]) - plainSum[i]));
        }
        if (!report) {
            return;
        }
        long up = 0;
        long down = 0;
        long nanos = 0;
        long maxNanos = 0;
        long allClientNanos = 0;
        for (InMemorySecAgg.Cost c : out.clients().values()) {
            allClientNanos += c.nanos();
        }
        for (String id : survivors) {
            InMemorySecAgg.Cost c = out.clients().get(id);
            up += c.bytesSent();
            down += c.bytesReceived();
            nanos += c.nanos();
            maxNanos = Math.max(maxNanos, c.nanos());
        }
        int s = survivors.size();
        System.out.printf("contributors: %d of %d; aggregate equals the plain sum of encodings: %s (%d mismatches); "
                + "max |decoded - float sum| = %.3g (bound n/(2*scale) = %.3g)%n", out.result().contributors().size(),
                n, exactMismatches == 0, exactMismatches, maxError, n / (2 * CODEC.scale()));
        System.out.printf("%-26s %14s %14s %10s%n", "per surviving client", "SecAgg+", "plain", "ratio");
        row("CPU time (ms, mean)", nanos / 1e6 / s, plainClientNanos / 1e6 / s);
        System.out.printf("%-26s %14.2f%n", "CPU time (ms, max)", maxNanos / 1e6);
        row("bytes up (KB)", up / 1024.0 / s, plainBytes / 1024.0 / s);
        row("bytes down (KB)", down / 1024.0 / s, 0);
        System.out.printf("%-26s %14s %14s %10s%n", "server", "SecAgg+", "plain", "ratio");
        row("CPU time (ms)", (cpu - allClientNanos) / 1e6, plainServerNanos / 1e6);
        row("bytes in (MB)", out.server().bytesReceived() / 1048576.0, plainBytes / 1048576.0);
        row("bytes out (MB)", out.server().bytesSent() / 1048576.0, 0);
        System.out.printf("%-26s %14.1f  (process CPU %.1f s; load average %.1f on %d cores)%n", "round wall time (s)",
                wall / 1e9, cpu / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * CPU time of the calling thread: a client's steps each run on one thread, so its cost is exact even
     * when other processes share the cores.
     */
    static final Clock THREAD_CPU = new Clock() {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        @Override
        public long nanoTime() {
            return threads.getCurrentThreadCpuTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };

    /** CPU time of the whole JVM, every thread included. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void row(String what, double secure, double plain) {
        System.out.printf("%-26s %14.2f %14.2f %10s%n", what, secure, plain,
                plain > 0 ? String.format("%.1fx", secure / plain) : "-");
    }
}
