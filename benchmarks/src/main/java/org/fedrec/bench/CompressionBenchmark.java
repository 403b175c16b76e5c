package org.fedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.fedrec.core.TableDelta;
import org.fedrec.core.compression.Codec;
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
 * Encode and decode throughput of each uplink codec on one client's update of ML-100K's shape: the MF
 * item table (1682 x 64) and item biases (1682 x 1) as sparse rows over the same {@value #TOUCHED} rows
 * (a user's positives and sampled negatives, about what a client sends in one round), values normal with
 * std 0.01 (the scale of one round's local change). Both tables per operation, as a client sends them.
 * Setup prints each codec's payload size. The sparse fp32 wire size ({@code ModelUpdate.wireBytes}) of
 * this update is {@value #TOUCHED} x (4 + 256) + {@value #TOUCHED} x 8 bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class CompressionBenchmark {

    static final int ITEMS = 1682;
    static final int DIM = 64;
    static final int TOUCHED = 430;

    @Param({"fp32", "deflate", "fp16", "fp16+deflate", "q8", "q8+deflate", "q4", "q4+deflate", "topk:0.01",
            "topk:0.01+q8", "topk:0.01+q8+deflate"})
    public String codec;

    private Codec c;
    private TableDelta.SparseRows items;
    private TableDelta.SparseRows biases;
    private TableDelta.Encoded encodedItems;
    private TableDelta.Encoded encodedBiases;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void setUp() {
        c = Codec.parse(codec);
        SplittableRandom rnd = new SplittableRandom(42);
        int[] rows = rnd.ints(0, ITEMS).distinct().limit(TOUCHED).sorted().toArray();
        float[] v = new float[TOUCHED * DIM];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        float[] b = new float[TOUCHED];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        items = new TableDelta.SparseRows(DIM, rows, v);
        biases = new TableDelta.SparseRows(1, rows.clone(), b);
        random = new SplittableRandom(7);
        encodedItems = c.encode(ITEMS, DIM, items, random).encoded();
        encodedBiases = c.encode(ITEMS, 1, biases, random).encoded();
        long bytes = encodedItems.wireBytes() + encodedBiases.wireBytes();
        long sparseFp32 = TOUCHED * (4L + 4L * DIM) + TOUCHED * 8L;
        System.out.printf("%n%s: %d bytes per update (sparse fp32 %d, dense fp32 %d): %.1fx smaller than sparse, "
                + "%.1fx than dense%n", codec, bytes, sparseFp32, 4L * ITEMS * (DIM + 1), (double) sparseFp32 / bytes,
                4.0 * ITEMS * (DIM + 1) / bytes);
    }

    @Benchmark
    public Object encode() {
        return new Object[] {c.encode(ITEMS, DIM, items, random).encoded(), c.encode(ITEMS, 1, biases, random).encoded()};
    }

    @Benchmark
    public Object decode() {
        return new Object[] {c.decode(encodedItems), c.decode(encodedBiases)};
    }
}
