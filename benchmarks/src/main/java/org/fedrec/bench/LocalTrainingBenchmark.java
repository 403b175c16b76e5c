package org.fedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.models.ClientData;
import org.fedrec.models.MatrixFactorization;
import org.fedrec.models.NeuralCollaborativeFiltering;
import org.fedrec.models.PrivateStates;
import org.fedrec.models.RecommenderModel;
import org.fedrec.models.TrainSettings;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local training throughput on one thread: one operation is one epoch over every (user, item) pair of a
 * single client holding all users of {@link SyntheticMl100k} (the centralized baseline's client), through
 * {@link RecommenderModel#fit}. The {@code triples} secondary result is training triples per second,
 * (pairs x negatives) / s, the unit the PyTorch peer ({@code peers/torch_mf.py}) reports.
 *
 * <ul>
 *   <li>{@code mfBpr}: matrix factorisation, d = 64, BPR, 4 negatives, SGD (simulate's defaults).</li>
 *   <li>{@code neumfBce}: NeuMF with its default architecture and training (log loss, Adam, 4 negatives).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LocalTrainingBenchmark {

    /** Training triples (positive, negative) processed; reported per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Triples {
        public long triples;

        @Setup(Level.Iteration)
        public void reset() {
            triples = 0;
        }
    }

    /** simulate's defaults: d = 64, BPR, 4 negatives, SGD at lr 0.02, L2 0.03, one local epoch. */
    static final TrainSettings MF_BPR = new TrainSettings(1, 0.02, TrainSettings.Optimizer.SGD, 4, 0.03,
            TrainSettings.Loss.BPR, 0.2, 0.0);
    static final int MF_DIM = 64;

    private ClientData data;
    private Trained mf;
    private Trained neumf;

    @Setup(Level.Trial)
    public void setUp() {
        data = SyntheticMl100k.oneClientWithAllUsers();
        RandomSource random = RandomSource.seeded(SyntheticMl100k.SEED);
        mf = new Trained(new MatrixFactorization(SyntheticMl100k.ITEMS, MF_DIM, 0.1), MF_BPR, data, random);
        TrainSettings neumfBce = NeuralCollaborativeFiltering.defaultSettings();
        if (neumfBce.loss() != TrainSettings.Loss.BCE || neumfBce.negatives() != 4) {
            throw new IllegalStateException("NeuMF's default training is no longer BCE with 4 negatives: " + neumfBce);
        }
        neumf = new Trained(new NeuralCollaborativeFiltering(SyntheticMl100k.ITEMS,
                NeuralCollaborativeFiltering.Architecture.defaults()), neumfBce, data, random);
    }

    @Benchmark
    public RecommenderModel.LocalFit mfBpr(Triples counter) {
        return mf.epoch(counter);
    }

    @Benchmark
    public RecommenderModel.LocalFit neumfBce(Triples counter) {
        return neumf.epoch(counter);
    }

    /** A model with its global state, its users' private state and a training random stream. */
    private static final class Trained {
        private final RecommenderModel model;
        private final TrainSettings settings;
        private final ClientData data;
        private final ModelState global;
        private final PrivateStates users;
        private final SplittableRandom random;

        Trained(RecommenderModel model, TrainSettings settings, ClientData data, RandomSource random) {
            this.model = model;
            this.settings = settings;
            this.data = data;
            this.global = model.initialGlobal(random);
            this.users = model.newPrivateStates(SyntheticMl100k.USERS, random);
            this.random = random.split("bench-" + model.name()).generator();
        }

        /** One epoch from the same global model; the users' private rows keep training across epochs. */
        RecommenderModel.LocalFit epoch(Triples counter) {
            RecommenderModel.LocalFit fit = model.fit(global, data, users, settings, random);
            counter.triples += fit.steps() * settings.negatives();
            return fit;
        }
    }
}
