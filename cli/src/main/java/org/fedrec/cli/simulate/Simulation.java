package org.fedrec.cli.simulate;

import java.io.PrintWriter;
import static org.fedrec.cli.simulate.SimulateKeys.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

import org.fedrec.cli.CliException;
import org.fedrec.core.AsyncLoop;
import org.fedrec.core.CleartextSum;
import org.fedrec.core.devices.DeviceProfiles;
import org.fedrec.core.devices.SimulatedClock;
import org.fedrec.core.devices.SimulatedDevicesFleet;
import org.fedrec.core.SecureSum;
import org.fedrec.core.ClientFactory;
import org.fedrec.core.ClientInterceptor;
import org.fedrec.core.ClientSampler;
import org.fedrec.core.Fleet;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.Strategy;
import org.fedrec.core.compression.Codec;
import org.fedrec.core.compression.DecodingStrategy;
import org.fedrec.core.compression.DownlinkEncodingStrategy;
import org.fedrec.core.compression.EncodingInterceptor;
import org.fedrec.core.compression.ErrorFeedback;
import org.fedrec.core.config.Config;
import org.fedrec.core.config.ConfigKey;
import org.fedrec.core.strategy.FedAdagrad;
import org.fedrec.core.strategy.FedAdam;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.FedAvgM;
import org.fedrec.core.strategy.FedOpt;
import org.fedrec.core.strategy.FedProx;
import org.fedrec.core.strategy.FedYogi;
import org.fedrec.core.strategy.SecureRowSumFedAvg;
import org.fedrec.data.ColdItemSplit;
import org.fedrec.data.ColumnMapping;
import org.fedrec.data.Dataset;
import org.fedrec.data.DuplicatePolicy;
import org.fedrec.data.ItemTextColumns;
import org.fedrec.data.DatasetFetcher;
import org.fedrec.data.DatasetReaders;
import org.fedrec.data.DirichletSiloPartitioner;
import org.fedrec.data.IidSiloPartitioner;
import org.fedrec.data.ImplicitFeedback;
import org.fedrec.data.Interactions;
import org.fedrec.data.ItemCatalog;
import org.fedrec.data.LeaveOneOutSplit;
import org.fedrec.data.Partition;
import org.fedrec.data.Partitioner;
import org.fedrec.data.PerUserPartitioner;
import org.fedrec.data.RandomRatioSplit;
import org.fedrec.data.ReadOptions;
import org.fedrec.data.SizeSkewSiloPartitioner;
import org.fedrec.data.Split;
import org.fedrec.data.SyntheticShop;
import org.fedrec.data.UserIndex;
import org.fedrec.engine.spark.SparkFleet;
import org.fedrec.models.ClientData;
import org.fedrec.models.ClientStore;
import org.fedrec.models.MatrixFactorization;
import org.fedrec.models.NeuralCollaborativeFiltering;
import org.fedrec.models.PrivateStates;
import org.fedrec.models.RecommenderClient;
import org.fedrec.models.RecencyWeighting;
import org.fedrec.models.RecommenderModel;
import org.fedrec.models.TextTwoTower;
import org.fedrec.models.TrainSettings;
import org.fedrec.models.eval.FullRankingEvaluator;
import org.fedrec.models.eval.MetricSums;
import org.fedrec.models.eval.ItemPriorScorer;
import org.fedrec.models.eval.PopularityScorer;
import org.fedrec.models.eval.RandomScorer;
import org.fedrec.models.eval.SampledCandidates;
import org.fedrec.models.eval.SampledRankingEvaluator;
import org.fedrec.models.eval.Scorer;
import org.fedrec.models.eval.UserItems;
import org.fedrec.privacy.DpFedAvg;
import org.fedrec.privacy.L2Clipping;
import org.fedrec.privacy.LocalGaussianNoise;
import org.fedrec.privacy.secagg.FixedPoint;
import org.fedrec.privacy.secagg.SecAggSum;

/**
 * Everything a simulated federated run needs, built from a validated {@link Config}: the dataset and its
 * split, the partition into clients, the model, the clients (with their private state and evaluation
 * data), and the strategy. Wiring only: each piece lives in its own module.
 */
public final class Simulation {

    /** Prefix of validation metrics; test metrics carry their plain names ({@code HR@10}). */
    public static final String VALIDATION_PREFIX = "val_";

    private final Config config;
    private final Dataset dataset;
    private final Sizes sizes;
    private final Scorer popularity;
    /** split=cold_items: the items held out for test (the ranking's candidates), else null. */
    private final int[] testCandidates;
    /** split=cold_items: the category-popularity baseline, else null. */
    private final Scorer categoryPopularity;
    private final RecommenderModel model;
    private final PrivateStates states;
    private final ClientStore clients;
    private final UserEvaluation testEvaluation;
    private final UserEvaluation validationEvaluation;
    private final TrainSettings trainSettings;
    private final RandomSource random;
    private final int threads;
    /** The uplink codec, null for compression.codec=none. */
    private final Codec codec;
    /** The codec of tables sent dense (compression.dense_codec; the same as codec unless set), null for none. */
    private final Codec denseCodec;
    /** The downlink codec (compression.downlink_codec), null for none: the global model goes as fp32. */
    private final Codec downlinkCodec;
    /** The clients' error-feedback residuals (client-side memory), null without error feedback. */
    private final ErrorFeedback errorFeedback;
    /** DP-FedAvg around plain FedAvg, used only to account (validation, summary, budget): built once. */
    private DpFedAvg accounting;

    private Simulation(Config config, Dataset loaded) {
        config = coldItemsProtocol(config);
        this.config = config;
        this.random = RandomSource.seeded(config.get(SEED));
        this.threads = config.get(THREADS) == 0 ? Runtime.getRuntime().availableProcessors() : config.get(THREADS);
        this.trainSettings = trainSettings(config); // bad settings fail before the data is read
        requireAsyncCompatible(config);
        devices(); // checks the devices.* keys together
        this.codec = codec(config);
        this.denseCodec = denseCodec(config, codec);
        this.downlinkCodec = downlinkCodec(config);
        this.errorFeedback = errorFeedback(config, codec, denseCodec) ? new ErrorFeedback() : null;
        this.dataset = loaded != null ? loaded : loadDataset(config);
        Dataset implicit = implicit(dataset, config.get(MIN_RATING));
        Split split = split(implicit, config);
        // Only the sizes and the item popularity outlive construction: the split's arrays are the clients' data
        // (now in the client store) and the evaluation's (in its candidates), so they are not kept twice.
        this.sizes = new Sizes(split.train().numUsers(), split.train().numItems(), split.train().size(),
                split.validation().size(), split.test().size());
        boolean coldItems = config.get(SPLIT).equals("cold_items");
        this.popularity = coldItems // every cold item has popularity 0: break the ties at random, not by index
                ? ItemPriorScorer.popularity(split.train().numItems(), split.train().itemsArray(), config.get(SEED))
                : PopularityScorer.fromItems(split.train().numItems(), split.train().itemsArray());
        this.categoryPopularity = coldItems ? categoryPopularity(split.train(), dataset.catalog(), config.get(SEED)) : null;
        int numUsers = split.train().numUsers();
        int numItems = split.train().numItems();
        Partition partition = partitioner(config).partition(split.train(), dataset.catalog(), config.get(SEED));
        this.model = model(config, numItems, dataset.catalog(), threads);
        this.states = model.newPrivateStates(numUsers, random);
        UserItems train = UserItems.ofPairs(numUsers, split.train().usersArray(), split.train().itemsArray());
        this.clients = clientStore(partition, split.train(), recencyWeighting(config, split.train()));
        boolean sampled = config.get(PROTOCOL).equals("sampled");
        if (sampled && !config.get(SPLIT).equals("loo")) {
            throw new CliException("eval.protocol=sampled ranks one held-out item per user and needs split=loo; "
                    + "use eval.protocol=full with split=" + config.get(SPLIT));
        }
        UserItems valItems = heldOut(split.validation(), split.train());
        UserItems testItems = heldOut(split.test(), split.train());
        boolean cold = config.get(SPLIT).equals("cold_items");
        this.testCandidates = cold ? split.test().itemsArray() : null;
        int k = config.get(EVAL_K);
        // Sharing clients run many at once, each on one thread; a lone client gets every core to evaluate.
        int evalThreads = partition.size() >= threads ? 1 : threads;
        if (sampled) {
            UserItems interacted = union(numUsers, split);
            long seed = random.split("eval-candidates").seed();
            this.testEvaluation = sampledEvaluation(numItems, interacted, split.test(), numUsers,
                    config.get(EVAL_NEGATIVES), seed, k, evalThreads);
            this.validationEvaluation = split.validation().size() == 0 ? null
                    : sampledEvaluation(numItems, interacted, split.validation(), numUsers,
                    config.get(EVAL_NEGATIVES), seed + 1, k, evalThreads);
        } else {
            FullRankingEvaluator.Builder test = FullRankingEvaluator.builder(numItems, testItems).exclude(train)
                    .exclude(valItems).cutoffs(k);
            FullRankingEvaluator.Builder val = FullRankingEvaluator.builder(numItems, valItems).exclude(train).cutoffs(k);
            if (cold) { // each user's cold items ranked among the cold items of the same part only
                test.candidates(testCandidates);
                if (split.validation().size() > 0) {
                    val.candidates(split.validation().itemsArray());
                }
            }
            this.testEvaluation = new UserEvaluation(test.build()::evaluate, evalThreads);
            this.validationEvaluation = split.validation().size() == 0 ? null
                    : new UserEvaluation(val.build()::evaluate, evalThreads);
        }
        if (differentiallyPrivate()) {
            DpFedAvg dp = accounting(); // checks the dp.* keys together
            try {
                dp.epsilonAfter(1); // the PLD accountant refuses noise too small for its grid
            } catch (IllegalArgumentException e) {
                throw new CliException("dp.accountant=" + config.get(DP_ACCOUNTANT) + " with dp.noise_multiplier="
                        + config.get(DP_NOISE_MULTIPLIER) + ": " + e.getMessage(), e);
            }
            if (config.get(DP_EPSILON_BUDGET) > 0) {
                requireWithinBudget(dp, config.get(ROUNDS), config.get(DP_EPSILON_BUDGET),
                        config.get(DP_ON_BUDGET).equals("stop"));
            }
        }
    }

    /** The codec compression.codec names (null for none); refuses what cannot work with the other keys. */
    private static Codec codec(Config config) {
        String spec = config.get(COMPRESSION_CODEC);
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
            if (config.get(COMPRESSION_ERROR_FEEDBACK).equals("on")) {
                throw new CliException("compression.error_feedback=on needs a lossy compression.codec (it is none)");
            }
            return null;
        }
        Codec codec = parseCodec(COMPRESSION_CODEC, spec);
        if (config.get(HIDE_ITEMS).equals("secagg_totals")) {
            throw new CliException("compression.codec=" + codec.name() + " cannot be combined with "
                    + "privacy.hide_items=secagg_totals: secure aggregation adds every client's fixed-point vector of "
                    + "all rows, and compressed payloads are not vectors that add; use compression.codec=none there");
        }
        return codec;
    }

    /** The codec compression.dense_codec names: {@code codec} itself for "same". */
    private static Codec denseCodec(Config config, Codec codec) {
        String spec = config.get(COMPRESSION_DENSE_CODEC).trim();
        if (spec.equalsIgnoreCase("same")) {
            return codec;
        }
        if (codec == null) {
            throw new CliException("compression.dense_codec=" + spec + " needs a compression.codec (it is none); "
                    + "use compression.codec=fp32 to send row tables uncompressed");
        }
        Codec dense = parseCodec(COMPRESSION_DENSE_CODEC, spec);
        return dense.name().equals(codec.name()) ? codec : dense; // one codec, however it was spelled
    }

    /** The codec compression.downlink_codec names, null for none; one with a top-k stage is refused. */
    private static Codec downlinkCodec(Config config) {
        String spec = config.get(COMPRESSION_DOWNLINK_CODEC).trim();
        if (spec.equalsIgnoreCase("none")) {
            return null;
        }
        Codec codec = parseCodec(COMPRESSION_DOWNLINK_CODEC, spec);
        try {
            DownlinkEncodingStrategy.requireBroadcastable(codec);
        } catch (IllegalArgumentException e) {
            throw new CliException("config key '" + COMPRESSION_DOWNLINK_CODEC.name() + "': " + e.getMessage(), e);
        }
        return codec;
    }

    /** The codec {@code spec} names; an error names {@code key} and the stage that is wrong. */
    private static Codec parseCodec(ConfigKey<String> key, String spec) {
        try {
            return Codec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new CliException("config key '" + key.name() + "': " + e.getMessage(), e);
        }
    }

    private static boolean errorFeedback(Config config, Codec codec, Codec denseCodec) {
        String ef = config.get(COMPRESSION_ERROR_FEEDBACK);
        boolean on = codec != null && (ef.equals("on")
                || (ef.equals("auto") && (codec.topKFraction() > 0 || denseCodec.topKFraction() > 0)));
        if (on && config.get(ENGINE).equals("spark")) {
            throw new CliException("compression.error_feedback with engine=spark is not supported: the residual is "
                    + "client state that the Spark engine does not keep between rounds (only user embeddings); "
                    + "set compression.error_feedback=off or engine=in-memory");
        }
        if (ef.equals("on") && codec != null && !codec.lossy() && !denseCodec.lossy()) {
            throw new CliException("compression.error_feedback=on with compression.codec=" + codec.name()
                    + (denseCodec != codec ? " and compression.dense_codec=" + denseCodec.name() : "")
                    + ", which is lossless: there is no error to feed back");
        }
        return on;
    }

    /** The uplink codec, or null when compression.codec=none. */
    public Codec codec() {
        return codec;
    }

    /** The codec of tables sent dense: {@link #codec()} unless compression.dense_codec sets another. */
    public Codec denseCodec() {
        return denseCodec;
    }

    /** The codec of the global model sent to training clients, or null when it goes as fp32. */
    public Codec downlinkCodec() {
        return downlinkCodec;
    }

    /** True when clients keep error-feedback residuals. */
    public boolean errorFeedback() {
        return errorFeedback != null;
    }

    /** The compression settings as the run summary records them. */
    public Map<String, Object> compressionSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("codec", codec == null ? "none" : codec.name());
        out.put("dense_codec", denseCodec == null ? "none" : denseCodec.name());
        out.put("downlink_codec", downlinkCodec == null ? "none" : downlinkCodec.name());
        out.put("error_feedback", errorFeedback != null);
        out.put("dense_fp32_update_bytes", 4 * model.initialGlobal(random).parameterCount());
        return out;
    }

    /**
     * Refuses a run whose planned rounds would spend more than the budget (with {@code dp.on_budget=stop},
     * only one that cannot afford a single round); the message says what fits.
     */
    private static void requireWithinBudget(DpFedAvg dp, int rounds, double budget, boolean stopAtBudget) {
        double spent = dp.epsilonAfter(stopAtBudget ? 1 : rounds);
        if (spent <= budget) {
            return;
        }
        long affordable = dp.roundsWithin(budget);
        DpFedAvg.Settings s = dp.settings();
        throw new CliException(String.format(java.util.Locale.ROOT,
                "dp.epsilon_budget=%s would be exceeded: rounds=%d would spend epsilon=%.4g at dp.delta=%s "
                        + "(q=%s/%d clients per round, dp.noise_multiplier=%s); %s",
                budget, stopAtBudget ? 1 : rounds, spent, s.delta(), number(s.expectedCohort()), s.population(),
                s.noiseMultiplier(),
                affordable == 0 ? "not even 1 round fits the budget: raise dp.noise_multiplier or lower clients_per_round"
                        : "at most " + affordable + " rounds fit the budget: set rounds=" + affordable
                        + ", or raise dp.noise_multiplier or lower clients_per_round"));
    }

    /**
     * With {@code dp.epsilon_budget} and {@code dp.on_budget=stop}: the test "round r keeps the ε spent within
     * the budget", for {@link org.fedrec.core.RoundLoop.Builder#budget}; null otherwise.
     */
    public IntPredicate privacyBudget() {
        double budget = config.get(DP_EPSILON_BUDGET);
        if (!differentiallyPrivate() || budget == 0 || !config.get(DP_ON_BUDGET).equals("stop")) {
            return null;
        }
        DpFedAvg dp = accounting();
        return round -> dp.epsilonAfter(round) <= budget;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.4g", d);
    }

    public static Simulation build(Config config) {
        return new Simulation(config, null);
    }

    /** A simulation over an already loaded dataset (which must be what {@code config} names). */
    public static Simulation build(Config config, Dataset dataset) {
        return new Simulation(config, dataset);
    }

    /** True when validation items are held out, so early stopping has something to watch. */
    public boolean hasValidation() {
        return validationEvaluation != null;
    }

    /** One way to evaluate a scorer for a set of users. */
    private record UserEvaluation(Evaluate evaluate, int threads) {
        MetricSums run(Scorer scorer, int[] users) {
            return evaluate.apply(scorer, users, threads);
        }
    }

    @FunctionalInterface
    private interface Evaluate {
        MetricSums apply(Scorer scorer, int[] users, int threads);
    }

    /** Recency weighting applies where the held-out item is each user's next one and time is known. */
    private static RecencyWeighting recencyWeighting(Config config, Interactions train) {
        if (!config.get(SPLIT).equals("loo") || !train.hasTimestamps() || config.get(RECENCY_BOOST) == 0) {
            return RecencyWeighting.NONE;
        }
        return new RecencyWeighting(config.get(RECENCY_BOOST), config.get(RECENCY_HALFLIFE));
    }

    /** Every client's data in one compact store: a million virtual clients are a few arrays, not objects. */
    private static ClientStore clientStore(Partition partition, Interactions train, RecencyWeighting weighting) {
        UserIndex byUser = train.byUser();
        ClientStore.Builder data = ClientStore.builder();
        for (Partition.Client c : partition.clients()) {
            int[] users = c.users();
            int[][] items = new int[users.length][];
            for (int k = 0; k < users.length; k++) {
                items[k] = byUser.itemsOf(users[k]);
            }
            data.add(c.id(), ClientData.ofChronological(users, items, weighting));
        }
        return data.build();
    }

    private static UserEvaluation sampledEvaluation(int numItems, UserItems interacted, Interactions heldOut, int numUsers,
                                                    int negatives, long seed, int k, int threads) {
        int[] item = new int[numUsers];
        java.util.Arrays.fill(item, -1);
        for (int i = 0; i < heldOut.size(); i++) {
            item[heldOut.user(i)] = heldOut.item(i);
        }
        SampledCandidates candidates;
        try {
            candidates = SampledCandidates.build(numItems, interacted, item, negatives, seed);
        } catch (IllegalArgumentException e) {
            throw new CliException("eval.protocol=sampled cannot draw eval.negatives=" + negatives + " negatives: "
                    + e.getMessage() + "; lower eval.negatives or use eval.protocol=full", e);
        }
        return new UserEvaluation(SampledRankingEvaluator.of(candidates, k)::evaluate, threads);
    }

    private static UserItems union(int numUsers, Split split) {
        int n = split.train().size() + split.validation().size() + split.test().size();
        int[] users = new int[n];
        int[] items = new int[n];
        int p = 0;
        for (Interactions part : List.of(split.train(), split.validation(), split.test())) {
            for (int i = 0; i < part.size(); i++, p++) {
                users[p] = part.user(i);
                items[p] = part.item(i);
            }
        }
        return UserItems.ofPairs(numUsers, users, items);
    }

    private static RecommenderModel model(Config config, int numItems, ItemCatalog catalog, int threads) {
        String name = config.get(MODEL);
        if (name.equals("text") || name.equals("hybrid")) {
            if (catalog.size() != numItems) {
                throw new CliException("model=" + name + " needs a text per item: the catalog has " + catalog.size()
                        + " items, the interactions " + numItems);
            }
            ItemTextEmbeddings.Encoded text = ItemTextEmbeddings.encode(catalog, config.get(ENCODER_MODEL),
                    cacheDir(config).resolve("embeddings"), threads, new PrintWriter(System.err, true));
            TextTwoTower.Architecture arch = new TextTwoTower.Architecture(config.get(DIM), config.get(LORA_RANK),
                    name.equals("hybrid") ? config.get(ID_DIM) : 0, TextTwoTower.Combine.CONCAT,
                    TextTwoTower.UserTower.valueOf(config.get(USER_TOWER).toUpperCase(Locale.ROOT)),
                    TextTwoTower.Base.PCA, config.get(INIT_STD), config.get(PERSONAL_ADAPTER));
            try {
                return new TextTwoTower(numItems, text.dim(), text.values(), arch, config.get(SEED));
            } catch (IllegalArgumentException e) {
                throw new CliException("model=" + name + ": " + e.getMessage(), e);
            }
        }
        if (config.get(MODEL).equals("neumf")) {
            List<Integer> layers = new ArrayList<>();
            for (String part : config.get(MLP_LAYERS).split(",")) {
                try {
                    layers.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new CliException("config key 'model.mlp_layers': expected comma-separated layer sizes, found '"
                            + config.get(MLP_LAYERS) + "'");
                }
            }
            return new NeuralCollaborativeFiltering(numItems, new NeuralCollaborativeFiltering.Architecture(
                    config.get(DIM), config.get(MLP_DIM), layers, NeuralCollaborativeFiltering.Architecture.defaults()
                    .initStd()));
        }
        return new MatrixFactorization(numItems, config.get(DIM), config.get(INIT_STD));
    }

    /** Local training settings, with {@code auto} values resolved for the model. */
    private static TrainSettings trainSettings(Config config) {
        boolean neumf = config.get(MODEL).equals("neumf");
        String loss = config.get(LOSS).equals("auto") ? (neumf ? "bce" : "bpr") : config.get(LOSS);
        String optimizer = config.get(OPTIMIZER).equals("auto") ? (neumf ? "adam" : "sgd") : config.get(OPTIMIZER);
        double lr = config.get(LR) > 0 ? config.get(LR) : (neumf ? 0.001 : 0.02);
        String hiding = config.get(HIDE_ITEMS);
        boolean textModel = config.get(MODEL).equals("text") || config.get(MODEL).equals("hybrid");
        if (textModel && (hiding.equals("dense") || config.get(NEGATIVE_CANDIDATES) > 1)) {
            throw new CliException("model=" + config.get(MODEL) + " trains on uniform negatives with sparse rows: "
                    + "privacy.hide_items=dense and train.negative_candidates > 1 are implemented for model=mf only");
        }
        if (hiding.equals("dense") && neumf) {
            throw new CliException("privacy.hide_items=dense is implemented for model=mf only (NeuMF would run its MLP "
                    + "over every catalog item at every step); use padding or secagg_totals with model=neumf");
        }
        if (hiding.equals("secagg_totals") && config.get(DP_ENABLED)) {
            throw new CliException("privacy.hide_items=secagg_totals with dp.enabled=true is not supported: DP-FedAvg "
                    + "noises the server's sum of individual updates, which secure aggregation never shows it");
        }
        boolean padding = hiding.equals("padding");
        // secagg_totals hides at the server: clients train as with none and their updates are summed securely.
        TrainSettings.ItemHiding local = padding ? TrainSettings.ItemHiding.PADDING
                : hiding.equals("dense") ? TrainSettings.ItemHiding.DENSE : TrainSettings.ItemHiding.NONE;
        try {
            return new TrainSettings(config.get(LOCAL_EPOCHS), lr,
                    TrainSettings.Optimizer.valueOf(optimizer.toUpperCase()), config.get(NEGATIVES), config.get(L2),
                    TrainSettings.Loss.valueOf(loss.toUpperCase()), config.get(TEMPERATURE), 0,
                    config.get(NEGATIVE_CANDIDATES), local, padding ? config.get(PADDING_RATIO) : 0);
        } catch (IllegalArgumentException e) {
            throw new CliException("privacy.hide_items=" + hiding + ": " + e.getMessage(), e);
        }
    }

    /** Where downloaded datasets are kept: {@code data.cache_dir}, else {@code ~/.cache/fedrec}. */
    public static Path cacheDir(Config config) {
        String cache = config.get(CACHE_DIR);
        return cache != null ? Path.of(cache) : DatasetFetcher.defaultCacheDir();
    }

    /**
     * The dataset that {@code dataset}, {@code data_dir}, {@code data.cache_dir} and the {@code data.*}
     * reader keys name, as read from disk (ml-100k and ml-1m downloaded into the cache when no
     * {@code data_dir} is given) or generated (the synthetic shop).
     */
    public static Dataset loadDataset(Config config) {
        String name = config.get(DATASET);
        if (name.equals("synthetic")) {
            return SyntheticShop.generate(SyntheticShop.Config.defaults().withSize(config.get(SYNTH_USERS),
                    config.get(SYNTH_ITEMS)).withSeed(config.get(SEED)));
        }
        String dir = config.get(DATA_DIR);
        Path path;
        if (dir != null) {
            path = Path.of(dir);
        } else if (DatasetFetcher.MOVIELENS_SHA256.containsKey(name)) {
            try {
                path = DatasetFetcher.grouplens().fetch(name, cacheDir(config));
            } catch (IOException e) {
                throw new CliException("could not download " + name + " (" + e.getMessage() + "); download it yourself "
                        + "and pass data_dir=DIR", e);
            }
        } else {
            throw new CliException("dataset=" + name + " needs data_dir=PATH");
        }
        try {
            return DatasetReaders.read(name, path, readOptions(config));
        } catch (UncheckedIOException e) {
            throw new CliException("could not read " + path + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Reader options: duplicates policy for every format; columns and side files for csv only. */
    private static ReadOptions readOptions(Config config) {
        ReadOptions options = ReadOptions.defaults().withDuplicates(
                DuplicatePolicy.valueOf(config.get(DUPLICATES).toUpperCase(java.util.Locale.ROOT)));
        if (!config.get(DATASET).equals("csv")) {
            return options;
        }
        boolean defaultExtras = config.get(VALUE_COLUMN).equals(VALUE_COLUMN.defaultValue())
                && config.get(TIMESTAMP_COLUMN).equals(TIMESTAMP_COLUMN.defaultValue());
        options = options.withColumns(new ColumnMapping(config.get(USER_COLUMN), config.get(ITEM_COLUMN),
                emptyAsNull(config.get(VALUE_COLUMN)), emptyAsNull(config.get(TIMESTAMP_COLUMN)), defaultExtras));
        if (config.get(ITEM_FILE) != null) {
            options = options.withItemFile(Path.of(config.get(ITEM_FILE)), ItemTextColumns.DEFAULT);
        }
        if (config.get(TEST_FILE) != null) {
            options = options.withTestFile(Path.of(config.get(TEST_FILE)));
        }
        return options;
    }

    private static String emptyAsNull(String column) {
        return column == null || column.isEmpty() ? null : column;
    }

    private static Dataset implicit(Dataset d, double minRating) {
        if (minRating <= 0) {
            return d;
        }
        Interactions kept = ImplicitFeedback.atLeast(d.interactions(), (float) minRating);
        return new Dataset(d.name(), d.format(), kept, d.users(), d.items(), d.catalog(), d.sha256(), d.duplicates(),
                d.givenSplit().orElse(null), d.notes());
    }

    private static Split split(Dataset d, Config config) {
        return switch (config.get(SPLIT)) {
            case "loo" -> new LeaveOneOutSplit(config.get(VALIDATION)).split(d);
            case "cold_items" -> coldItemSplit(config).split(d);
            case "ratio" -> new RandomRatioSplit(config.get(TEST_RATIO), config.get(VALIDATION) ? 0.1 : 0.0,
                    config.get(SEED)).split(d);
            default -> d.givenSplit().orElseThrow(() -> new CliException("split=given but dataset " + d.name()
                    + " has no given train/test files"));
        };
    }

    private static ColdItemSplit coldItemSplit(Config config) {
        try {
            return new ColdItemSplit(config.get(COLD_FRACTION),
                    config.get(VALIDATION) ? config.get(COLD_VALIDATION_FRACTION) : 0.0, config.get(SEED));
        } catch (IllegalArgumentException e) {
            throw new CliException("config keys '" + COLD_FRACTION.name() + "' and '" + COLD_VALIDATION_FRACTION.name()
                    + "': " + e.getMessage(), e);
        }
    }

    /**
     * split=cold_items ranks among the cold items, which only full ranking does: eval.protocol=sampled (the
     * default, so it cannot be told from an explicit choice) becomes full, and the log says so.
     */
    private static Config coldItemsProtocol(Config config) {
        if (!config.get(SPLIT).equals("cold_items") || config.get(PROTOCOL).equals("full")) {
            return config;
        }
        System.err.println("fedrec: note: split=cold_items: eval.protocol=" + config.get(PROTOCOL) + " switched to "
                + "full (each user's held-out items ranked among the held-out items only)");
        return config.with(PROTOCOL.name(), "full");
    }

    /** A held-out part as evaluation sets, without users who have no training interaction (no client holds them). */
    private static UserItems heldOut(Interactions part, Interactions train) {
        int[] trained = train.countsPerUser();
        int[] users = part.usersArray();
        int[] items = part.itemsArray();
        int n = 0;
        for (int i = 0; i < users.length; i++) {
            if (trained[users[i]] > 0) {
                users[n] = users[i];
                items[n++] = items[i];
            }
        }
        return UserItems.ofPairs(train.numUsers(), java.util.Arrays.copyOf(users, n), java.util.Arrays.copyOf(items, n));
    }

    private static Scorer categoryPopularity(Interactions train, ItemCatalog catalog, long seed) {
        int[][] categories = new int[catalog.size()][];
        for (int i = 0; i < categories.length; i++) {
            categories[i] = catalog.categoryIndices(i);
        }
        return ItemPriorScorer.categoryPopularity(train.numItems(), train.itemsArray(), categories,
                catalog.numCategories(), seed);
    }

    private static Partitioner partitioner(Config config) {
        return switch (config.get(PARTITION)) {
            case "per_user" -> new PerUserPartitioner();
            case "iid" -> new IidSiloPartitioner(config.get(CLIENTS));
            case "dirichlet" -> new DirichletSiloPartitioner(config.get(CLIENTS), config.get(ALPHA));
            case "size_skew" -> new SizeSkewSiloPartitioner(config.get(CLIENTS), config.get(SKEW));
            default -> new IidSiloPartitioner(1);
        };
    }

    /**
     * Fixed point of the secure row totals: per-row deltas and 0/1 counts fit in [-1024, 1024] with 2^-20
     * resolution, and 2^63 / 2^30 clients can be summed without wrapping.
     */
    private static final FixedPoint SECAGG_VALUES = new FixedPoint(1024, 1 << 20, 64);

    /** The strategy the config names, with its clients' training settings. */
    public Strategy strategy() {
        Strategy s = uplinkStrategy();
        return downlinkCodec == null ? s : new DownlinkEncodingStrategy(s, downlinkCodec);
    }

    /** The strategy without downlink compression: aggregation, privacy and uplink decoding. */
    private Strategy uplinkStrategy() {
        Strategy strategy = plainStrategy();
        if (config.get(HIDE_ITEMS).equals("secagg_totals")) {
            SecureSum sum = config.get(SECURE_SUM).equals("secagg")
                    ? new SecAggSum(SECAGG_VALUES, config.get(SECAGG_DEGREE), 0.5, random.split("secure-sum"))
                    : new CleartextSum();
            return new SecureRowSumFedAvg((FedAvg) strategy, sum, config.get(SECAGG_MIN_CLIENTS));
        }
        Strategy s = differentiallyPrivate() ? privateStrategy(strategy) : strategy;
        // The server decodes first: DP-FedAvg clips and noises the decoded updates.
        return codec == null ? s : new DecodingStrategy(s, codec, denseCodec);
    }

    /** True when {@code dp.enabled}: clients clip (see {@link #clientFactory()}) and the server runs DP-FedAvg. */
    public boolean differentiallyPrivate() {
        return config.get(DP_ENABLED);
    }

    /**
     * The DP-FedAvg this simulation accounts with (its ε, budget and summary): one instance, so the PLD
     * accountant discretises the step once. Never runs a round.
     */
    private DpFedAvg accounting() {
        if (accounting == null) {
            accounting = privateStrategy(new FedAvg(FedAvg.Settings.defaults()));
        }
        return accounting;
    }

    /**
     * DP-FedAvg around {@code selection}: the expected cohort m is what the configured sampler takes from the
     * whole population (q·N for Poisson sampling); the server learning rate is strategy.server_lr, or 1
     * (FedAvg) when unset; adaptive clipping and local noise as configured.
     */
    private DpFedAvg privateStrategy(Strategy selection) {
        int population = clients.clients();
        double serverLr = config.get(SERVER_LR) > 0 ? config.get(SERVER_LR) : 1.0;
        double cohort = fitSampler().expectedSize(population);
        DpFedAvg.Settings settings = new DpFedAvg.Settings(config.get(DP_CLIP), config.get(DP_NOISE_MULTIPLIER),
                cohort, population, config.get(DP_DELTA), serverLr, java.util.Set.of())
                .withLocalNoiseMultiplier(config.get(DP_LOCAL_NOISE_MULTIPLIER))
                .withAccountant(DpFedAvg.Accountant.valueOf(config.get(DP_ACCOUNTANT).toUpperCase(java.util.Locale.ROOT)),
                        config.get(DP_PLD_DISCRETIZATION));
        if (config.get(DP_ADAPTIVE_CLIP)) {
            double countStd = config.get(DP_CLIP_COUNT_STDDEV) > 0 ? config.get(DP_CLIP_COUNT_STDDEV) : cohort / 20;
            try {
                settings = settings.withAdaptiveClipping(new DpFedAvg.AdaptiveClipping(config.get(DP_TARGET_QUANTILE),
                        config.get(DP_CLIP_LR), countStd));
            } catch (IllegalArgumentException e) {
                throw new CliException("dp.adaptive_clip=true with dp.clip_count_stddev=" + number(countStd)
                        + (config.get(DP_CLIP_COUNT_STDDEV) > 0 ? "" : " (expected clients per round / 20)")
                        + " and dp.noise_multiplier=" + config.get(DP_NOISE_MULTIPLIER) + ": " + e.getMessage()
                        + "; raise dp.clip_count_stddev or the clients per round", e);
            }
        }
        // The configured strategy's server optimiser (FedAdam for per-user clients) steps on the noised mean.
        return selection instanceof FedAvg fedAvg ? new DpFedAvg(selection, settings, fedAvg::applyServerStep)
                : new DpFedAvg(selection, settings);
    }

    /** One line on the privacy settings and the epsilon the planned rounds spend, or null without DP. */
    public String privacySummary() {
        if (!differentiallyPrivate()) {
            return null;
        }
        DpFedAvg dp = accounting();
        DpFedAvg.Settings s = dp.settings();
        String clip = s.adaptive() == null ? "clip C=" + s.clip()
                : String.format(java.util.Locale.ROOT, "adaptive clip from C=%s to quantile %s (update z=%.4g, "
                        + "count std %.4g)", s.clip(), s.adaptive().targetQuantile(), s.updateNoiseMultiplier(),
                s.adaptive().countNoiseStd());
        String local = s.localNoiseMultiplier() > 0 ? String.format(java.util.Locale.ROOT,
                "; local noise z=%s: epsilon %.4g per client per round", s.localNoiseMultiplier(),
                LocalGaussianNoise.epsilon(s.localNoiseMultiplier(), 1, s.delta())) : "";
        return String.format(java.util.Locale.ROOT,
                "DP-FedAvg: %s, noise multiplier z=%s, %s %s of %d clients per round (q=%.4g); "
                        + "%d rounds spend epsilon=%.4g at delta=%s (%s)%s",
                clip, s.noiseMultiplier(), poissonSampling() ? "Poisson," : "fixed", number(s.expectedCohort()),
                s.population(), s.samplingRate(), config.get(ROUNDS), dp.epsilonAfter(config.get(ROUNDS)), s.delta(),
                config.get(DP_ACCOUNTANT), local);
    }

    /** The privacy settings as the run summary records them (empty without DP). */
    public Map<String, Object> privacySettings() {
        if (!differentiallyPrivate()) {
            return Map.of();
        }
        DpFedAvg.Settings s = accounting().settings();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("delta", s.delta());
        out.put("accountant", config.get(DP_ACCOUNTANT));
        if (s.accountant() == DpFedAvg.Accountant.PLD) {
            out.put("pld_discretization", s.pldDiscretization());
        }
        out.put("noise_multiplier", s.noiseMultiplier());
        out.put("update_noise_multiplier", s.updateNoiseMultiplier());
        out.put("sampling", config.get(DP_SAMPLING));
        out.put("sampling_rate", s.samplingRate());
        out.put("expected_clients_per_round", s.expectedCohort());
        out.put("clip", s.clip());
        out.put("adaptive_clip", s.adaptive() != null);
        out.put("local_noise_multiplier", s.localNoiseMultiplier());
        out.put("epsilon_budget", config.get(DP_EPSILON_BUDGET));
        out.put("on_budget", config.get(DP_ON_BUDGET));
        return out;
    }

    private boolean poissonSampling() {
        return differentiallyPrivate() && config.get(DP_SAMPLING).equals("poisson");
    }

    /**
     * The training cohort: clients_per_round or client_fraction, as a fixed-size cohort or (dp.sampling=poisson)
     * as the Poisson rate q = clients_per_round / N or client_fraction.
     */
    private ClientSampler fitSampler() {
        int perRound = config.get(CLIENTS_PER_ROUND);
        if (poissonSampling()) {
            int population = clients.clients();
            if (perRound > population) {
                throw new CliException("dp.sampling=poisson: clients_per_round=" + perRound + " exceeds the "
                        + population + " clients");
            }
            return ClientSampler.poisson(perRound > 0 ? (double) perRound / population : config.get(CLIENT_FRACTION));
        }
        return perRound > 0 ? ClientSampler.count(perRound) : ClientSampler.fraction(config.get(CLIENT_FRACTION));
    }

    /**
     * The configured (non-private) strategy with a fixed cohort of {@code clientsPerRound} clients instead of the
     * configured sampling: for benchmarks that time several cohort sizes over one population.
     */
    public Strategy strategy(int clientsPerRound) {
        if (differentiallyPrivate() || config.get(HIDE_ITEMS).equals("secagg_totals")) {
            throw new CliException("a cohort size override is for plain strategies; found dp.enabled="
                    + differentiallyPrivate() + ", privacy.hide_items=" + config.get(HIDE_ITEMS));
        }
        return plainStrategy(ClientSampler.count(clientsPerRound));
    }

    /** Bytes of the users' private state (user embeddings), as allocated: the whole store, touched or not. */
    public long privateStateBytes() {
        return 4L * states.data().length + states.users();
    }

    private Strategy plainStrategy() {
        return plainStrategy(fitSampler());
    }

    private Strategy plainStrategy(ClientSampler sampler) {
        RoundConfig fit = trainSettings.toRoundConfig();
        String name = strategyName();
        double serverLr = config.get(SERVER_LR) > 0 ? config.get(SERVER_LR) : defaultServerLearningRate(name);
        int evalUsers = config.get(EVAL_USERS);
        ClientSampler evaluate = evalUsers > 0 ? ClientSampler.count(evalUsers) : ClientSampler.all();
        FedAvg.Settings s = new FedAvg.Settings(sampler, evaluate, fit, RoundConfig.EMPTY, serverLr, true);
        FedOpt.Hyper hyper = new FedOpt.Hyper(config.get(BETA1), config.get(BETA2), config.get(TAU));
        return switch (name) {
            case "fedavgm" -> new FedAvgM(s, config.get(MOMENTUM));
            case "fedprox" -> new FedProx(s, config.get(PROXIMAL_MU));
            case "fedadam" -> new FedAdam(s, hyper);
            case "fedyogi" -> new FedYogi(s, hyper);
            case "fedadagrad" -> new FedAdagrad(s, hyper);
            case "fedavg" -> new FedAvg(s);
            default -> throw new IllegalStateException("unknown strategy " + name);
        };
    }

    /** The strategy's name, with {@code auto} resolved for this partition. */
    public String strategyName() {
        String name = config.get(STRATEGY);
        if (!name.equals("auto")) {
            return name;
        }
        // Asynchronously the server steps every async.buffer results, not every cohort: FedAdam's normalised step
        // (of strategy.server_lr per row per step) then moves each row far more per client update than in sync
        // rounds, while the plain mean of a small buffer (FedAvg, server lr 1) applies each client's change at
        // about the scale of its own local training.
        if (asynchronous()) {
            return "fedavg";
        }
        return config.get(PARTITION).equals("per_user") ? "fedadam" : "fedavg";
    }

    private static double defaultServerLearningRate(String strategy) {
        return strategy.equals("fedadam") || strategy.equals("fedyogi") || strategy.equals("fedadagrad") ? 0.1 : 1.0;
    }

    /** Early stopping on the validation metric when there is a validation split. */
    public StoppingRule stoppingRule() {
        String metric = (validationEvaluation == null ? "" : VALIDATION_PREFIX) + primaryMetric();
        return new StoppingRule(metric, true, validationEvaluation == null ? 0 : config.get(PATIENCE), 0.0);
    }

    /** The headline metric: HR@K for the sampled protocol, Recall@K for full ranking. */
    public String primaryMetric() {
        return (config.get(PROTOCOL).equals("sampled") ? "HR@" : "Recall@") + config.get(EVAL_K);
    }

    /**
     * The fleet {@code engine} names, over this simulation's clients: in memory, or in the executors of
     * {@code engine.spark_master}. The caller closes it (which stops a Spark context it started).
     */
    public Fleet fleet() {
        Fleet engine = engineFleet();
        if (config.get(MODE).equals("sync") && config.get(DEVICES)) {
            return new SimulatedDevicesFleet(engine, devices(), new SimulatedClock(), this::examplesOf,
                    config.get(DEVICE_DEADLINE));
        }
        return engine;
    }

    /** True for {@code mode=async}: the run is an {@link #asyncLoop()}, not a round loop. */
    public boolean asynchronous() {
        return config.get(MODE).equals("async");
    }

    /**
     * The FedBuff loop of {@code mode=async} over {@code fleet} (an engine fleet from {@link #fleet()}), with the
     * strategy's server step and evaluation hooks and a fresh simulated clock; the caller adds listeners.
     * {@code rounds} and {@code eval.every} count round-equivalents of {@link #versionsPerRound()} server versions.
     */
    public AsyncLoop.Builder asyncLoop(Fleet fleet, int rounds) {
        Strategy strategy = strategy();
        AsyncLoop.ServerStep step = ((FedAvg) strategy)::applyServerStep;
        return AsyncLoop.builder().strategy(strategy).fitConfig(trainSettings.toRoundConfig()).serverStep(step)
                .fleet(fleet).devices(devices()).clock(new SimulatedClock()).examplesOf(this::examplesOf)
                .random(random).versions(Math.multiplyExact(rounds, versionsPerRound()))
                .evaluateEvery(Math.multiplyExact(config.get(EVAL_EVERY), versionsPerRound()))
                .settings(new AsyncLoop.Settings(config.get(ASYNC_CONCURRENCY), config.get(ASYNC_BUFFER),
                        config.get(ASYNC_STALENESS_EXPONENT), 60));
    }

    /**
     * Server versions of mode=async that make one round-equivalent: the versions whose {@code async.buffer}
     * results add up to one synchronous round's cohort (clients_per_round, or client_fraction of the clients),
     * so that rounds, eval.every and early stopping mean the same client work in both modes.
     */
    public int versionsPerRound() {
        double cohort = fitSampler().expectedSize(clients.clients());
        return (int) Math.max(1, Math.ceil(cohort / config.get(ASYNC_BUFFER)));
    }

    /** The simulated devices the devices.* keys describe, seeded from the run's seed. */
    public DeviceProfiles devices() {
        return new DeviceProfiles(new DeviceProfiles.Settings(config.get(DEVICE_SPEED), config.get(DEVICE_SPEED_SPREAD),
                1000 * config.get(DEVICE_UPLINK), 1000 * config.get(DEVICE_DOWNLINK), config.get(DEVICE_BANDWIDTH_SPREAD),
                config.get(DEVICE_PERIOD), config.get(DEVICE_AVAILABLE), config.get(DEVICE_DROPOUT)),
                random.split("devices"));
    }

    /** Training pair visits of one task of {@code clientId}: its visits per epoch times the local epochs. */
    long examplesOf(String clientId) {
        int index = clients.indexOf(clientId);
        if (index < 0) {
            throw new IllegalArgumentException("no client '" + clientId + "' in this partition");
        }
        return clients.visitsPerEpoch(index) * trainSettings.epochs();
    }

    private static void requireAsyncCompatible(Config config) {
        if (!config.get(MODE).equals("async")) {
            return;
        }
        if (config.get(DP_ENABLED)) {
            throw new CliException("mode=async with dp.enabled=true is not supported: DP-FedAvg accounts rounds of a "
                    + "sampled cohort, which asynchronous training does not have; use mode=sync");
        }
        if (config.get(HIDE_ITEMS).equals("secagg_totals")) {
            throw new CliException("mode=async with privacy.hide_items=secagg_totals is not supported: secure "
                    + "aggregation sums a round's cohort at once; use mode=sync");
        }
        if (!config.get(COMPRESSION_CODEC).equals("none")) {
            throw new CliException("mode=async with compression.codec=" + config.get(COMPRESSION_CODEC)
                    + " is not supported: the FedBuff buffer adds decoded fp32 updates and the simulated uploads are "
                    + "timed at fp32 size; use mode=sync with compression, or compression.codec=none");
        }
        if (downlinkCodec(config) != null) { // one reading of the key: downlinkCodec says what none is
            throw new CliException("mode=async with compression.downlink_codec="
                    + config.get(COMPRESSION_DOWNLINK_CODEC) + " is not supported: FedBuff sends each client the "
                    + "model version it starts from as fp32; use mode=sync with a downlink codec");
        }
    }

    private Fleet engineFleet() {
        if (!config.get(ENGINE).equals("spark")) {
            return new InMemoryFleet(clientFactory(), clientIds(), random, threads);
        }
        try {
            return SparkFleet.start(config.get(SPARK_MASTER), new SimulationPopulation(this), random,
                    config.get(SPARK_PARTITIONS));
        } catch (IllegalArgumentException e) {
            throw new CliException("config key '" + SPARK_MASTER.name() + "': " + e.getMessage(), e);
        }
    }

    /** Global indices of the users that client {@code clientId} holds. */
    int[] usersOf(String clientId) {
        int index = clients.indexOf(clientId);
        if (index < 0) {
            throw new IllegalArgumentException("no client '" + clientId + "' in this partition");
        }
        return clients.usersOf(index);
    }

    /** A fresh store of every user's private parameters, initialised lazily from the seed as in any run. */
    PrivateStates newPrivateStates() {
        return model.newPrivateStates(sizes.users(), random);
    }

    /**
     * Builds clients on demand; they share the population's private states. With {@code dp.enabled} each
     * client clips its update ({@link L2Clipping}) before it leaves the client, and with
     * {@code dp.local_noise_multiplier} also noises it ({@link LocalGaussianNoise}); with a
     * {@code compression.codec} it then encodes it ({@link EncodingInterceptor}, with the simulation's
     * error-feedback residuals).
     */
    public ClientFactory clientFactory() {
        return clientFactory(states);
    }

    /** As {@link #clientFactory()}, with the users' private parameters kept in {@code privateStates}. */
    ClientFactory clientFactory(PrivateStates privateStates) {
        RecommenderClient.UserEvaluator evaluator = (scorer, users) -> {
            MetricSums test = testEvaluation.run(scorer, users);
            Map<String, Double> means = new LinkedHashMap<>(test.count() == 0 ? Map.of() : test.means());
            if (validationEvaluation != null) {
                MetricSums val = validationEvaluation.run(scorer, users);
                if (val.count() > 0) {
                    val.means().forEach((k, v) -> means.put(VALIDATION_PREFIX + k, v));
                }
            }
            return new RecommenderClient.Evaluation(test.count(), means);
        };
        ClientFactory factory = id -> {
            return new RecommenderClient(id, model, clients.client(id), privateStates, trainSettings, evaluator);
        };
        List<ClientInterceptor> chain = new ArrayList<>();
        if (differentiallyPrivate()) {
            L2Clipping clipping = new L2Clipping(config.get(DP_CLIP));
            double localNoise = config.get(DP_LOCAL_NOISE_MULTIPLIER);
            chain.add(localNoise > 0 ? new LocalGaussianNoise(clipping, localNoise, config.get(DP_DELTA)) : clipping);
        }
        if (codec != null) {
            // Last: what leaves the client is the clipped (and noised) update, compressed.
            chain.add(new EncodingInterceptor(codec, denseCodec, errorFeedback));
        }
        return ClientFactory.intercepted(factory, chain);
    }

    /** Test metrics of the popularity and random baselines, evaluated centrally. */
    public Map<String, Map<String, Double>> baselines() {
        int[] users = new int[sizes.users()];
        for (int u = 0; u < users.length; u++) {
            users[u] = u;
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        UserEvaluation all = new UserEvaluation(testEvaluation.evaluate(), threads);
        out.put("popularity", all.run(popularity, users).means());
        if (categoryPopularity != null) {
            out.put("category_popularity", all.run(categoryPopularity, users).means());
        }
        out.put("random", all.run(new RandomScorer(config.get(SEED)), users).means());
        return out;
    }

    /** The clients' ids in a stable order: a view over the client store (no string kept per client). */
    public List<String> clientIds() {
        return clients.ids();
    }

    /** Number of clients. */
    public int clientCount() {
        return clients.clients();
    }

    /** Every client's local data. */
    public ClientStore clientStore() {
        return clients;
    }

    public RecommenderModel model() {
        return model;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** Users, items and the sizes of the train, validation and test parts of the split. */
    public Sizes sizes() {
        return sizes;
    }

    /** The sizes of a simulation's data after its split. */
    public record Sizes(int users, int items, int train, int validation, int test) {
    }

    public RandomSource random() {
        return random;
    }

    public int threads() {
        return threads;
    }

    public Config config() {
        return config;
    }
}
