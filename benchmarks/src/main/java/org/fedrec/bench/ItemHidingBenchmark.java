package org.fedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.models.ClientData;
import org.fedrec.models.MatrixFactorization;
import org.fedrec.models.PrivateStates;
import org.fedrec.models.RecommenderModel;
import org.fedrec.models.TrainSettings;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What hiding a user's items costs one cross-device client as the catalog grows: one operation is one
 * local fit ({@code MatrixFactorization.fit}, d = 64, BPR, 4 negatives, SGD, one epoch) of a user with
 * 100 positives (about ML-100K's mean), for {@code items} catalog items and each
 * {@link TrainSettings.ItemHiding} mode ({@code padding} at ratio 1). The setup prints the update's fp32
 * wire size ({@code ModelUpdate.wireBytes}); time is ms per fit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = "-Xmx4g")
@Threads(1)
@State(Scope.Thread)
public class ItemHidingBenchmark {

    static final int POSITIVES = 100;

    @Param({"1000", "10000", "100000", "1000000"})
    public int items;

    @Param({"none", "padding", "dense"})
    public String mode;

    private RecommenderModel model;
    private ModelState global;
    private PrivateStates users;
    private ClientData data;
    private TrainSettings settings;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void setUp() {
        RandomSource source = RandomSource.seeded(7);
        model = new MatrixFactorization(items, LocalTrainingBenchmark.MF_DIM, 0.1);
        global = model.initialGlobal(source);
        users = model.newPrivateStates(1, source);
        random = source.split("bench").generator();
        data = ClientData.of(new int[] {0}, new int[][] {random.ints(POSITIVES * 2L, 0, items).distinct()
                .limit(POSITIVES).toArray()});
        TrainSettings base = LocalTrainingBenchmark.MF_BPR;
        TrainSettings.ItemHiding hiding = TrainSettings.ItemHiding.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
        settings = new TrainSettings(base.epochs(), base.lr(), base.optimizer(), base.negatives(), base.l2(), base.loss(),
                base.temperature(), base.proximalMu(), 1, hiding, hiding == TrainSettings.ItemHiding.PADDING ? 1 : 0);
        System.out.printf("%n[item hiding] items=%d mode=%s uplink=%d bytes per fit%n", items, mode,
                model.fit(global, data, users, settings, random).update().wireBytes());
    }

    @Benchmark
    public RecommenderModel.LocalFit fit() {
        return model.fit(global, data, users, settings, random);
    }
}
