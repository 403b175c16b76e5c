package org.fedrec.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.Aggregation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server-side FedAvg maths on sparse row updates: {@link Aggregation#weightedMeanDelta} over the clients'
 * results, {@link Aggregation#applyDelta} of the mean, and both (one FedAvg step). Each client sends
 * {@value #ROWS_PER_CLIENT} distinct rows of width {@value #COLS}, chosen uniformly, with a weight of 20 to
 * 200 examples.
 *
 * <p>{@code shape} is {@code clients x tableRows}: {@code 943x1682} is a cross-device round on ML-100K
 * (one client per user, MF item table), {@code 100x100000} a round of 100 clients over a large catalogue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class AggregationBenchmark {

    static final int ROWS_PER_CLIENT = 500;
    static final int COLS = 64;
    static final String TABLE = "item_embedding";

    @Param({"943x1682", "100x100000"})
    public String shape;

    private ModelState global;
    private List<FitResult> results;
    private ModelUpdate mean;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        int clients = Integer.parseInt(parts[0]);
        int rows = Integer.parseInt(parts[1]);
        SplittableRandom rng = new SplittableRandom(SyntheticMl100k.SEED);
        float[] table = new float[rows * COLS];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) (rng.nextGaussian() * 0.1);
        }
        global = new ModelState(Map.of(TABLE, new FloatTable(rows, COLS, table)));
        int[] all = new int[rows];
        Arrays.setAll(all, i -> i);
        results = new ArrayList<>(clients);
        for (int k = 0; k < clients; k++) {
            int[] touched = distinctSorted(all, ROWS_PER_CLIENT, rng);
            float[] values = new float[touched.length * COLS];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (rng.nextGaussian() * 0.01);
            }
            ModelUpdate update = new ModelUpdate(Map.of(TABLE, new TableDelta.SparseRows(COLS, touched, values)));
            results.add(new FitResult("c" + k, 20 + rng.nextInt(181), update, Map.of()));
        }
        mean = Aggregation.weightedMeanDelta(global, results);
    }

    /** {@code count} distinct values of {@code pool} (partial Fisher-Yates; reorders the pool), sorted. */
    private static int[] distinctSorted(int[] pool, int count, SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] picked = Arrays.copyOf(pool, count);
        Arrays.sort(picked);
        return picked;
    }

    @Benchmark
    public ModelUpdate weightedMeanDelta() {
        return Aggregation.weightedMeanDelta(global, results);
    }

    @Benchmark
    public ModelState applyDelta() {
        return Aggregation.applyDelta(global, mean, 1.0);
    }

    @Benchmark
    public ModelState fedAvgStep() {
        return Aggregation.applyDelta(global, Aggregation.weightedMeanDelta(global, results), 1.0);
    }
}
