package org.fedrec.privacy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.Set;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.SplitMix64;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.Aggregation;

/**
 * DP-FedAvg with a fixed denominator (McMahan, Ramage, Talwar, Zhang, ICLR 2018, "Learning Differentially
 * Private Recurrent Language Models", Algorithm 1 with equal client weights): a decorator that keeps
 * another strategy's client selection and evaluation and replaces its aggregation by
 *
 * <pre>  Δ = (Σ_k clip_C(Δ_k) + N(0, σ² I)) / m,   σ = z·C,   θ' = θ + η·Δ</pre>
 *
 * where m is the configured expected cohort size (not the number of results: a fixed denominator keeps
 * one client's influence on Δ at most C/m, and a failed client simply contributes zero), z the noise
 * multiplier and η the server learning rate. Clients clip with {@link L2Clipping}; the server clips again
 * with the same rule (a no-op for clipped updates), so the sensitivity bound holds even for a client that
 * skipped its interceptor. The server step is always the plain FedAvg step, whatever the decorated
 * strategy's own step was.
 *
 * <p><b>Noise on every coordinate.</b> The Gaussian noise is added to every value of every noised table
 * (by default all tables of the global model), so a table clients send as sparse rows comes out dense.
 * Noising only the rows some client touched would publish the set of touched rows, which in a
 * recommender is the set of items the cohort interacted with: exactly what DP is meant to hide. The cost
 * is a dense Δ over the whole catalog each round ({@code rows × cols} floats per table on the server).
 * Noise is drawn from {@link SplitMix64#nextGaussian()} seeded per round and table from the round's
 * {@link RandomSource} (given to {@link #configureFit}), so a seeded run is reproducible. That generator is
 * not cryptographic and floating-point Gaussian sampling is not exactly the mechanism analysed
 * (Mironov, CCS 2012): fine for simulation, not for a deployment.
 *
 * <p><b>Accounting.</b> Each round reports {@value #EPSILON_METRIC}: the ε spent after that many rounds at
 * the configured δ, from {@link RdpAccountant} (default order grid, exact series) with sampling rate
 * {@code q = m / population}, noise multiplier z, steps = round, and {@link Conversion#IMPROVED}. The
 * accountant analyses Poisson sampling (each client independently with probability q); fedrec's
 * {@link org.fedrec.core.ClientSampler} draws a fixed-size cohort without replacement, and using the
 * Poisson bound at q = m/N for it is the usual approximation (as in TF-Privacy's DP-FedAvg tutorials). It is
 * not a proof for fixed-size sampling, whose exact RDP bound (Wang, Balle, Kasiviswanathan 2019) differs
 * slightly, most at large q. Client training metrics (loss, {@link L2Clipping#NORM_METRIC}) are passed on
 * as diagnostics and are not covered by the guarantee, nor is evaluation.
 *
 * <p>Never modifies its inputs. Not thread-safe: one round loop drives it, configureFit before
 * aggregateFit for each round.
 */
public final class DpFedAvg implements Strategy {

    /** Metric key: ε spent after this round at the configured δ. */
    public static final String EPSILON_METRIC = "epsilon";
    /** Metric key: standard deviation of the noise on each coordinate of the mean delta, z·C/m. */
    public static final String NOISE_STD_METRIC = "dp_noise_std";
    /** Metric key: updates the server had to clip because they exceeded C (clients that did not clip). */
    public static final String SERVER_CLIPPED_METRIC = "dp_server_clipped";

    /** Relative slack on C before an update counts as not clipped by its client (float rounding). */
    private static final double CLIP_TOLERANCE = 1e-5;

    /**
     * What DP-FedAvg is configured with.
     *
     * @param clip               L2 bound C on each client's whole update
     * @param noiseMultiplier    z, so that the noise on the sum has standard deviation z·C (0 = no noise, ε = ∞)
     * @param expectedCohort     m, the clients sampled per round and the denominator of the mean
     * @param population         N, the clients that could be sampled; q = m / N
     * @param delta              δ at which ε is reported
     * @param serverLearningRate η of the FedAvg step
     * @param tables             tables to noise and accept deltas for; empty means every table of the global model
     */
    public record Settings(double clip, double noiseMultiplier, int expectedCohort, int population, double delta,
                           double serverLearningRate, Set<String> tables) {
        public Settings {
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("clipping bound C must be positive and finite, was " + clip);
            }
            if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier z must be >= 0 and finite, was " + noiseMultiplier);
            }
            if (expectedCohort < 1 || population < expectedCohort) {
                throw new IllegalArgumentException("need 1 <= expected cohort m <= population N, was m="
                        + expectedCohort + ", N=" + population);
            }
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
            }
            if (!(serverLearningRate > 0) || Double.isInfinite(serverLearningRate)) {
                throw new IllegalArgumentException("server learning rate must be positive and finite, was "
                        + serverLearningRate);
            }
            tables = Set.copyOf(Objects.requireNonNull(tables, "tables"));
        }

        /** Settings noising every table of the global model, with server learning rate 1. */
        public static Settings of(double clip, double noiseMultiplier, int expectedCohort, int population,
                                  double delta) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, 1.0, Set.of());
        }

        /** q = m / N. */
        public double samplingRate() {
            return (double) expectedCohort / population;
        }

        public Settings withServerLearningRate(double lr) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, lr, tables);
        }
    }

    private final Strategy selection;
    private final BiFunction<ModelState, ModelUpdate, ModelState> serverStep;
    private final Settings settings;
    private final OrderGrid orders;
    private final double[] rdpPerRound;
    private int noiseRound = -1;
    private RandomSource noiseSource;

    /**
     * @param selection the strategy whose client selection, fit settings and evaluation are kept
     *                  (typically a FedAvg-family strategy sampling {@code settings.expectedCohort()} clients)
     */
    public DpFedAvg(Strategy selection, Settings settings) {
        this(selection, settings, null);
    }

    /**
     * DP-FedAvg whose server step is {@code serverStep} (e.g. {@code fedAdam::applyServerStep}) instead of a
     * FedAvg step with {@link Settings#serverLearningRate()}. The step only sees the noised mean, so it is
     * post-processing and the privacy guarantee is unchanged.
     */
    public DpFedAvg(Strategy selection, Settings settings, BiFunction<ModelState, ModelUpdate, ModelState> serverStep) {
        this.serverStep = serverStep;
        this.selection = Objects.requireNonNull(selection, "selection");
        this.settings = Objects.requireNonNull(settings, "settings");
        RdpAccountant perRound = RdpAccountant.create().compose(settings.samplingRate(), settings.noiseMultiplier(), 1);
        this.orders = perRound.orders();
        this.rdpPerRound = perRound.rdp();
    }

    public Settings settings() {
        return settings;
    }

    public Strategy selection() {
        return selection;
    }

    /** The ε spent after {@code rounds} rounds at the configured δ (0 for no rounds). */
    public double epsilonAfter(long rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
        }
        if (rounds == 0) {
            return 0;
        }
        double[] rdp = new double[rdpPerRound.length];
        for (int k = 0; k < rdp.length; k++) {
            rdp[k] = rounds * rdpPerRound[k];
        }
        return RdpAccountant.epsilon(orders, rdp, settings.delta(), Conversion.IMPROVED).epsilon();
    }

    /**
     * The largest number of rounds whose ε at the configured δ stays within {@code epsilonBudget}: 0 if
     * even one round exceeds it, {@link Long#MAX_VALUE} if no count up to 2^62 does. ε grows with rounds,
     * so this is a doubling search followed by bisection.
     */
    public long roundsWithin(double epsilonBudget) {
        if (!(epsilonBudget > 0) || Double.isInfinite(epsilonBudget)) {
            throw new IllegalArgumentException("epsilon budget must be positive and finite, was " + epsilonBudget);
        }
        if (epsilonAfter(1) > epsilonBudget) {
            return 0;
        }
        long lo = 1; // within budget
        long hi = 2;
        while (epsilonAfter(hi) <= epsilonBudget) {
            lo = hi;
            if (hi >= 1L << 62) {
                return Long.MAX_VALUE;
            }
            hi *= 2;
        }
        while (hi - lo > 1) { // invariant: lo within budget, hi over it
            long mid = lo + (hi - lo) / 2;
            if (epsilonAfter(mid) <= epsilonBudget) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        noiseRound = round;
        noiseSource = random.split("dp-noise");
        return selection.configureFit(round, global, available, random);
    }

    @Override
    public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures) {
        if (round != noiseRound) {
            throw new IllegalStateException("DP-FedAvg aggregates round " + round + " but was last configured for round "
                    + noiseRound + "; configureFit draws the round's noise seed");
        }
        Set<String> noised = noisedTables(global);
        for (FitResult r : results) {
            r.update().validateAgainst(global, r.clientId());
            for (String name : r.update().deltas().keySet()) {
                if (!noised.contains(name)) {
                    throw new IllegalArgumentException("client " + r.clientId() + " sent a delta for table '" + name
                            + "', which DP-FedAvg does not noise; noised tables: " + noised);
                }
            }
        }
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (String name : noised) {
            sums.put(name, new float[global.table(name).size()]);
        }
        int serverClipped = 0;
        for (FitResult r : results) {
            double norm = L2Clipping.l2Norm(r.update());
            if (norm > settings.clip() * (1 + CLIP_TOLERANCE)) {
                serverClipped++;
            }
            addScaled(sums, global, r.update(), L2Clipping.scaleFactor(norm, settings.clip()));
        }
        double sigma = settings.noiseMultiplier() * settings.clip();
        double inverseCohort = 1.0 / settings.expectedCohort();
        Map<String, TableDelta> mean = new LinkedHashMap<>();
        sums.forEach((name, sum) -> {
            addGaussianNoise(sum, sigma, noiseSource.split(name));
            for (int i = 0; i < sum.length; i++) {
                sum[i] = (float) (sum[i] * inverseCohort);
            }
            mean.put(name, new TableDelta.Dense(sum));
        });
        ModelUpdate noisedMean = new ModelUpdate(mean);
        ModelState next = serverStep != null ? serverStep.apply(global, noisedMean)
                : Aggregation.applyDelta(global, noisedMean, settings.serverLearningRate());

        Map<String, Double> metrics = Aggregation.fitMetrics(results, failures);
        metrics.put(SERVER_CLIPPED_METRIC, (double) serverClipped);
        metrics.put(NOISE_STD_METRIC, sigma * inverseCohort);
        metrics.put(EPSILON_METRIC, epsilonAfter(round));
        return new Aggregate(next, metrics);
    }

    private Set<String> noisedTables(ModelState global) {
        if (settings.tables().isEmpty()) {
            return global.tables().keySet();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : global.tables().keySet()) {
            if (settings.tables().contains(name)) {
                out.add(name);
            }
        }
        if (out.size() != settings.tables().size()) {
            throw new IllegalArgumentException("DP-FedAvg is configured to noise tables " + settings.tables()
                    + " but the global model has " + global.tables().keySet());
        }
        return out;
    }

    /** sums[table] += factor · Δ[table], scattering sparse rows; the update is only read. */
    private static void addScaled(Map<String, float[]> sums, ModelState global, ModelUpdate update, double factor) {
        float f = (float) factor;
        update.deltas().forEach((name, d) -> {
            float[] acc = sums.get(name);
            if (d instanceof TableDelta.Dense dense) {
                float[] v = dense.values();
                for (int i = 0; i < v.length; i++) {
                    acc[i] += f * v[i];
                }
            } else {
                TableDelta.SparseRows s = (TableDelta.SparseRows) d;
                FloatTable t = global.table(name);
                int cols = t.cols();
                int[] rows = s.rows();
                float[] v = s.values();
                for (int j = 0; j < rows.length; j++) {
                    int off = rows[j] * cols;
                    for (int c = 0; c < cols; c++) {
                        acc[off + c] += f * v[j * cols + c];
                    }
                }
            }
        });
    }

    /** Adds N(0, sigma²) to every value, from a SplitMix64 seeded by {@code source}. */
    static void addGaussianNoise(float[] values, double sigma, RandomSource source) {
        if (sigma == 0) {
            return;
        }
        SplitMix64 rng = new SplitMix64(source.seed());
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] + sigma * rng.nextGaussian());
        }
    }

    @Override
    public List<EvaluateInstruction> configureEvaluate(int round, ModelState global, List<String> available,
                                                       RandomSource random) {
        return selection.configureEvaluate(round, global, available, random);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvaluateResult> results,
                                                 List<ClientFailure> failures) {
        return selection.aggregateEvaluate(round, results, failures);
    }

    @Override
    public String toString() {
        return "DpFedAvg[C=" + settings.clip() + ", z=" + settings.noiseMultiplier() + ", m="
                + settings.expectedCohort() + ", N=" + settings.population() + ", delta=" + settings.delta()
                + ", around " + selection.getClass().getSimpleName() + "]";
    }
}
