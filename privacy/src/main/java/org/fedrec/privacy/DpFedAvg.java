package org.fedrec.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.Set;

import org.fedrec.core.ClientFailure;
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
import org.fedrec.core.strategy.ForwardingStrategy;

/**
 * DP-FedAvg with a fixed denominator (McMahan, Ramage, Talwar, Zhang, ICLR 2018, "Learning Differentially
 * Private Recurrent Language Models", Algorithm 1 with equal client weights): a decorator that keeps
 * another strategy's client selection and evaluation and replaces its aggregation by
 *
 * <pre>  Δ = (Σ_k clip_C(Δ_k) + N(0, σ² I)) / m,   σ = z_Δ·C,   θ' = θ + η·Δ</pre>
 *
 * where m is the expected cohort size (not the number of results: a fixed denominator keeps one client's
 * influence on Δ at most C/m, and a failed client simply contributes zero), z_Δ the noise multiplier of the
 * update (z itself without adaptive clipping) and η the server learning rate. Clients clip with
 * {@link L2Clipping}; the server clips again with the same rule (a no-op for clipped updates), so the
 * sensitivity bound holds even for a client that skipped its interceptor. Each round's bound C is sent to
 * the clients as the round-config value {@value L2Clipping#CLIP_KEY}.
 *
 * <p><b>Sampling.</b> With Poisson sampling ({@link org.fedrec.core.ClientSampler#poisson}: each client
 * independently with probability q) m is the expected cohort q·N, whatever the realised size, as in
 * McMahan et al.; the accountant then analyses exactly what runs. With a fixed-size cohort of m clients
 * the accountant uses q = m/N: the Poisson bound is the usual approximation for sampling without
 * replacement (as in TF-Privacy's DP-FedAvg tutorials and Opacus' default), not a proof; the exact RDP
 * bound for fixed-size sampling (Wang, Balle, Kasiviswanathan 2019) differs slightly, most at large q.
 *
 * <p><b>Adaptive clipping</b> (Andrew, Thakkar, McMahan, Ramaswamy, NeurIPS 2021, "Differentially Private
 * Learning with Adaptive Clipping", Algorithm 1 with geometric updates), when {@link Settings#adaptive()}
 * is set: each client reports whether its update norm was within the round's C (the bit
 * b_k = 1 − {@link L2Clipping#CLIPPED_METRIC}); the server forms the noised, centred fraction
 * {@code b̄ = (Σ_k (b_k − ½) + N(0, σ_b²)) / m + ½} and moves the bound towards the target quantile γ:
 * {@code C ← C·exp(−η_C (b̄ − γ))}. Centring halves the count's sensitivity to ½; the two Gaussian queries
 * together are then one Gaussian mechanism of noise multiplier z with {@code z^−2 = z_Δ^−2 + (2σ_b)^−2}
 * (the paper's Theorem 1), so the update is noised with {@link #updateNoiseMultiplier z_Δ} and the
 * accountant charges the configured z: adaptive clipping costs no extra ε, only a slightly larger z_Δ.
 *
 * <p><b>Local DP</b> ({@link Settings#localNoiseMultiplier()} &gt; 0): clients clip and noise their own
 * updates with {@link LocalGaussianNoise}; the server does not clip again (noised updates are far above
 * C, and their privacy rests on the clients' noise) and reports {@value #LOCAL_EPSILON_WORST_METRIC}, the
 * local ε of the client that took part most often so far. The central ε is still that of the central
 * noise z alone (the clients' noise, which also protects the sum, is not credited: a conservative
 * figure). Adaptive clipping is refused with local DP: its bits would leave the clients un-noised.
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
 * the configured δ with sampling rate {@code q = m / N}, noise multiplier z and steps = round, from the
 * {@link Settings#accountant() accountant} chosen: {@link Accountant#RDP} (default; {@link RdpAccountant} on
 * the default order grid, exact series, {@link Conversion#IMPROVED}), or {@link Accountant#PLD}
 * ({@link PldAccountant} on the grid {@link Settings#pldDiscretization()}: tighter, and the one-step PLD is
 * discretised once, so a round costs one complex multiplication per frequency and one inverse FFT per
 * direction; with q = 1 the exact ε of the composed Gaussian, {@link AnalyticGaussian}). Client training
 * metrics (loss, {@link L2Clipping#NORM_METRIC}) are passed on as diagnostics and are not covered by the
 * guarantee, nor is evaluation; {@value #CLIP_METRIC} and {@value #UNCLIPPED_FRACTION_METRIC} are.
 *
 * <p>Never modifies its inputs. Not thread-safe: one round loop drives it, configureFit before
 * aggregateFit for each round.
 */
public final class DpFedAvg extends ForwardingStrategy {

    /** Metric key: ε spent after this round at the configured δ. */
    public static final String EPSILON_METRIC = "epsilon";
    /** Metric key: standard deviation of the noise on each coordinate of the mean delta, z_Δ·C/m. */
    public static final String NOISE_STD_METRIC = "dp_noise_std";
    /** Metric key: updates the server had to clip because they exceeded C (clients that did not clip). */
    public static final String SERVER_CLIPPED_METRIC = "dp_server_clipped";
    /** Metric key: the clipping bound C of this round. */
    public static final String CLIP_METRIC = "dp_clip";
    /** Metric key (adaptive clipping): the noised fraction b̄ of updates within this round's C. */
    public static final String UNCLIPPED_FRACTION_METRIC = "dp_unclipped_fraction";
    /** Metric key (local DP): the local ε at δ of the client that took part in the most rounds so far. */
    public static final String LOCAL_EPSILON_WORST_METRIC = "local_epsilon_worst";

    /** Relative slack on C before an update counts as not clipped by its client (float rounding). */
    private static final double CLIP_TOLERANCE = 1e-5;

    /**
     * Adaptive clipping of Andrew et al. 2021 (geometric update).
     *
     * @param targetQuantile γ, the fraction of updates that should fall within C (0.5 clips to the median norm)
     * @param learningRate   η_C; C changes by a factor of at most exp(η_C) per round (the paper uses 0.2)
     * @param countNoiseStd  σ_b, the standard deviation of the noise on the count of unclipped updates (the
     *                       paper suggests m/20); must exceed z/2 so that z_Δ exists
     */
    public record AdaptiveClipping(double targetQuantile, double learningRate, double countNoiseStd) {
        public AdaptiveClipping {
            if (!(targetQuantile > 0 && targetQuantile < 1)) {
                throw new IllegalArgumentException("adaptive clipping target quantile must be in (0, 1), was "
                        + targetQuantile);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("adaptive clipping learning rate must be positive and finite, was "
                        + learningRate);
            }
            if (!(countNoiseStd >= 0) || Double.isInfinite(countNoiseStd)) {
                throw new IllegalArgumentException("adaptive clipping count noise std must be >= 0 and finite, was "
                        + countNoiseStd);
            }
        }
    }

    /** Which accountant turns the rounds run into the ε reported. */
    public enum Accountant {
        /** {@link RdpAccountant}: Rényi DP, improved conversion (an upper bound). */
        RDP,
        /** {@link PldAccountant}: privacy loss distributions, numerically tight. */
        PLD
    }

    /**
     * What DP-FedAvg is configured with.
     *
     * @param clip                 L2 bound C on each client's whole update (the initial C with adaptive clipping)
     * @param noiseMultiplier      z, the noise multiplier the accountant charges (0 = no noise, ε = ∞); the
     *                             update's noise has standard deviation z·C on the sum, or z_Δ·C with
     *                             adaptive clipping
     * @param expectedCohort       m, the expected clients per round and the denominator of the mean (q·N for
     *                             Poisson sampling, the cohort size for fixed-size sampling)
     * @param population           N, the clients that could be sampled; q = m / N
     * @param delta                δ at which ε is reported
     * @param serverLearningRate   η of the FedAvg step
     * @param tables               tables to noise and accept deltas for; empty means every table of the global model
     * @param adaptive             adaptive clipping, or null for a fixed C
     * @param localNoiseMultiplier z_local of the clients' {@link LocalGaussianNoise}, or 0 without local DP
     * @param accountant           how the ε reported each round is computed
     * @param pldDiscretization    the grid spacing of the privacy loss for {@link Accountant#PLD}
     */
    public record Settings(double clip, double noiseMultiplier, double expectedCohort, int population, double delta,
                           double serverLearningRate, Set<String> tables, AdaptiveClipping adaptive,
                           double localNoiseMultiplier, Accountant accountant, double pldDiscretization) {
        public Settings {
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("clipping bound C must be positive and finite, was " + clip);
            }
            if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier z must be >= 0 and finite, was " + noiseMultiplier);
            }
            if (!(expectedCohort > 0) || !(expectedCohort <= population)) {
                throw new IllegalArgumentException("need 0 < expected cohort m <= population N, was m="
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
            if (adaptive != null) {
                DpFedAvg.updateNoiseMultiplier(noiseMultiplier, adaptive.countNoiseStd()); // checks sigma_b > z / 2
            }
            if (!(localNoiseMultiplier >= 0) || Double.isInfinite(localNoiseMultiplier)) {
                throw new IllegalArgumentException("local noise multiplier must be >= 0 and finite, was "
                        + localNoiseMultiplier);
            }
            if (localNoiseMultiplier > 0 && adaptive != null) {
                throw new IllegalArgumentException("adaptive clipping cannot be combined with local DP (local noise "
                        + "multiplier " + localNoiseMultiplier + "): the clients' clipping bits would leave them un-noised");
            }
            if (accountant == null) {
                throw new IllegalArgumentException("accountant must not be null");
            }
            if (!(pldDiscretization > 0 && pldDiscretization <= 1)) {
                throw new IllegalArgumentException("PLD discretization must be in (0, 1], was " + pldDiscretization);
            }
        }

        /** Accounted by {@link Accountant#RDP} (the PLD grid would be {@link PldAccountant#DEFAULT_DISCRETIZATION}). */
        public Settings(double clip, double noiseMultiplier, double expectedCohort, int population, double delta,
                        double serverLearningRate, Set<String> tables, AdaptiveClipping adaptive,
                        double localNoiseMultiplier) {
            this(clip, noiseMultiplier, expectedCohort, population, delta, serverLearningRate, tables, adaptive,
                    localNoiseMultiplier, Accountant.RDP, PldAccountant.DEFAULT_DISCRETIZATION);
        }

        /** Fixed clipping, no local noise. */
        public Settings(double clip, double noiseMultiplier, double expectedCohort, int population, double delta,
                        double serverLearningRate, Set<String> tables) {
            this(clip, noiseMultiplier, expectedCohort, population, delta, serverLearningRate, tables, null, 0);
        }

        /** Settings noising every table of the global model, with server learning rate 1. */
        public static Settings of(double clip, double noiseMultiplier, double expectedCohort, int population,
                                  double delta) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, 1.0, Set.of());
        }

        /** q = m / N. */
        public double samplingRate() {
            return expectedCohort / population;
        }

        public Settings withServerLearningRate(double lr) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, lr, tables, adaptive,
                    localNoiseMultiplier, accountant, pldDiscretization);
        }

        public Settings withAdaptiveClipping(AdaptiveClipping a) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, serverLearningRate, tables, a,
                    localNoiseMultiplier, accountant, pldDiscretization);
        }

        public Settings withLocalNoiseMultiplier(double z) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, serverLearningRate, tables,
                    adaptive, z, accountant, pldDiscretization);
        }

        /** This accountant, with the PLD grid unchanged. */
        public Settings withAccountant(Accountant a) {
            return withAccountant(a, pldDiscretization);
        }

        /** This accountant and, for {@link Accountant#PLD}, this grid spacing of the privacy loss. */
        public Settings withAccountant(Accountant a, double discretization) {
            return new Settings(clip, noiseMultiplier, expectedCohort, population, delta, serverLearningRate, tables,
                    adaptive, localNoiseMultiplier, a, discretization);
        }

        /** z_Δ, the noise multiplier applied to the update sum (z without adaptive clipping). */
        public double updateNoiseMultiplier() {
            return adaptive == null ? noiseMultiplier
                    : DpFedAvg.updateNoiseMultiplier(noiseMultiplier, adaptive.countNoiseStd());
        }
    }

    /**
     * z_Δ = (z^−2 − (2σ_b)^−2)^−½: the noise multiplier left for the update when the centred clipped count
     * (sensitivity ½) is noised with standard deviation σ_b, so that both together cost as one Gaussian
     * mechanism of multiplier z (Andrew et al. 2021, Theorem 1). z = 0 gives 0 (no privacy either way).
     *
     * @throws IllegalArgumentException if σ_b ≤ z/2, where the count alone would spend the whole budget
     */
    public static double updateNoiseMultiplier(double z, double countNoiseStd) {
        if (z == 0) {
            return 0;
        }
        double rest = 1 / (z * z) - 1 / (4 * countNoiseStd * countNoiseStd);
        if (!(rest > 0)) {
            throw new IllegalArgumentException("adaptive clipping needs count noise std sigma_b > z / 2 = " + z / 2
                    + " (the count would spend the whole budget), was " + countNoiseStd);
        }
        return 1 / Math.sqrt(rest);
    }

    /**
     * The next bound of the geometric update: {@code C·exp(−η_C (b̄ − γ))}, where b̄ is the noised fraction of
     * updates that were within C. More updates within C than the target shrinks C, fewer grows it.
     */
    public static double nextClip(double clip, double unclippedFraction, double targetQuantile, double learningRate) {
        return clip * Math.exp(-learningRate * (unclippedFraction - targetQuantile));
    }

    private final Strategy selection;
    private final BiFunction<ModelState, ModelUpdate, ModelState> serverStep;
    private final Settings settings;
    private final OrderGrid orders;
    private final double[] rdpPerRound;
    /** With {@link Accountant#PLD}: one round composed (its discretised step is shared by what it derives). */
    private final PldAccountant pldOneRound;
    private long pldMemoRounds = -1;
    private double pldMemoEpsilon;
    private final Map<String, Integer> participations = new HashMap<>();
    private int mostParticipations;
    private double clip;
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
        super(selection);
        this.serverStep = serverStep;
        this.selection = selection;
        this.settings = Objects.requireNonNull(settings, "settings");
        RdpAccountant perRound = RdpAccountant.create().compose(settings.samplingRate(), settings.noiseMultiplier(), 1);
        this.orders = perRound.orders();
        this.rdpPerRound = perRound.rdp();
        this.pldOneRound = settings.accountant() == Accountant.PLD
                ? PldAccountant.create(settings.pldDiscretization())
                        .compose(settings.samplingRate(), settings.noiseMultiplier(), 1) : null;
        this.clip = settings.clip();
    }

    public Settings settings() {
        return settings;
    }

    public Strategy selection() {
        return selection;
    }

    /** The bound C of the next round: the configured one, or where adaptive clipping has moved it. */
    public double currentClip() {
        return clip;
    }

    /** The ε spent after {@code rounds} rounds at the configured δ (0 for no rounds), by the configured accountant. */
    public double epsilonAfter(long rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
        }
        if (rounds == 0) {
            return 0;
        }
        if (pldOneRound != null) {
            if (rounds != pldMemoRounds) { // asking again for the same count (summary, budget checks) is free
                double z = settings.noiseMultiplier();
                // With q = 1 the rounds are one Gaussian of noise z/√rounds, whose ε is known exactly; its PLD
                // (within 1e-8 of it) would be discretised afresh every round on a grid growing as √rounds.
                pldMemoEpsilon = settings.samplingRate() == 1 && z > 0
                        ? AnalyticGaussian.epsilon(z / Math.sqrt(rounds), settings.delta())
                        : pldOneRound.compose(settings.samplingRate(), z, rounds - 1).epsilon(settings.delta());
                pldMemoRounds = rounds;
            }
            return pldMemoEpsilon;
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
        List<FitInstruction> out = new ArrayList<>();
        for (FitInstruction ins : selection.configureFit(round, global, available, random)) {
            out.add(ins.withConfig(ins.config().with(L2Clipping.CLIP_KEY, clip)));
        }
        return out;
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
        boolean local = settings.localNoiseMultiplier() > 0;
        int serverClipped = 0;
        for (FitResult r : results) {
            double factor = 1;
            if (!local) {
                double norm = L2Clipping.l2Norm(r.update());
                if (norm > clip * (1 + CLIP_TOLERANCE)) {
                    serverClipped++;
                }
                factor = L2Clipping.scaleFactor(norm, clip);
            }
            addScaled(sums, global, r.update(), factor);
        }
        double sigma = settings.updateNoiseMultiplier() * clip;
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
        metrics.put(CLIP_METRIC, clip);
        if (settings.adaptive() != null) {
            double unclipped = noisedUnclippedFraction(round, results);
            metrics.put(UNCLIPPED_FRACTION_METRIC, unclipped);
            clip = nextClip(clip, unclipped, settings.adaptive().targetQuantile(), settings.adaptive().learningRate());
        }
        if (local) {
            for (FitResult r : results) {
                mostParticipations = Math.max(mostParticipations, participations.merge(r.clientId(), 1, Integer::sum));
            }
            metrics.put(LOCAL_EPSILON_WORST_METRIC, LocalGaussianNoise.epsilon(settings.localNoiseMultiplier(),
                    mostParticipations, settings.delta()));
        }
        metrics.put(EPSILON_METRIC, epsilonAfter(round));
        return new Aggregate(next, metrics);
    }

    /**
     * b̄ = (Σ_k (b_k − ½) + N(0, σ_b²)) / m + ½ with b_k = 1 − the client's {@link L2Clipping#CLIPPED_METRIC};
     * the noise comes from the round's noise source, apart from the update's.
     */
    private double noisedUnclippedFraction(int round, List<FitResult> results) {
        double centred = 0;
        for (FitResult r : results) {
            Double clipped = r.metrics().get(L2Clipping.CLIPPED_METRIC);
            if (clipped == null || !(clipped == 0 || clipped == 1)) {
                throw new IllegalArgumentException("adaptive clipping needs each client's '" + L2Clipping.CLIPPED_METRIC
                        + "' bit (0 or 1, from L2Clipping); client " + r.clientId() + " in round " + round + " reported "
                        + clipped);
            }
            centred += (1 - clipped) - 0.5;
        }
        SplitMix64 rng = new SplitMix64(noiseSource.split("unclipped-count", 0).seed());
        centred += settings.adaptive().countNoiseStd() * rng.nextGaussian();
        return centred / settings.expectedCohort() + 0.5;
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
    static void addScaled(Map<String, float[]> sums, ModelState global, ModelUpdate update, double factor) {
        float f = (float) factor;
        update.deltas().forEach((name, d) -> {
            float[] acc = sums.get(name);
            if (d instanceof TableDelta.Dense dense) {
                float[] v = dense.values();
                for (int i = 0; i < v.length; i++) {
                    acc[i] += f * v[i];
                }
            } else if (d instanceof TableDelta.Encoded encoded) {
                throw encoded.notDecoded(null, name, "DP-FedAvg's noised sum");
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
    public String toString() {
        return "DpFedAvg[C=" + clip + (settings.adaptive() != null ? " (adaptive)" : "") + ", z="
                + settings.noiseMultiplier() + ", m=" + settings.expectedCohort() + ", N=" + settings.population()
                + ", delta=" + settings.delta() + (settings.localNoiseMultiplier() > 0 ? ", local z="
                + settings.localNoiseMultiplier() : "") + ", around " + selection.getClass().getSimpleName() + "]";
    }
}
