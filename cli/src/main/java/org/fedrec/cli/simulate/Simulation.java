package org.fedrec.cli.simulate;

import static org.fedrec.cli.simulate.SimulateKeys.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.cli.CliException;
import org.fedrec.core.CleartextSum;
import org.fedrec.core.ClientFactory;
import org.fedrec.core.ClientSampler;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.StoppingRule;
import org.fedrec.core.Strategy;
import org.fedrec.core.config.Config;
import org.fedrec.core.strategy.FedAdagrad;
import org.fedrec.core.strategy.FedAdam;
import org.fedrec.core.strategy.FedAvg;
import org.fedrec.core.strategy.FedAvgM;
import org.fedrec.core.strategy.FedOpt;
import org.fedrec.core.strategy.FedProx;
import org.fedrec.core.strategy.FedYogi;
import org.fedrec.core.strategy.SecureRowSumFedAvg;
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
import org.fedrec.data.LeaveOneOutSplit;
import org.fedrec.data.Partition;
import org.fedrec.data.Partitioner;
import org.fedrec.data.PerUserPartitioner;
import org.fedrec.data.RandomRatioSplit;
import org.fedrec.data.ReadOptions;
import org.fedrec.data.SizeSkewSiloPartitioner;
import org.fedrec.data.Split;
import org.fedrec.data.SyntheticShop;
import org.fedrec.models.ClientData;
import org.fedrec.models.MatrixFactorization;
import org.fedrec.models.NeuralCollaborativeFiltering;
import org.fedrec.models.PrivateStates;
import org.fedrec.models.RecommenderClient;
import org.fedrec.models.RecommenderModel;
import org.fedrec.models.TrainSettings;
import org.fedrec.models.eval.FullRankingEvaluator;
import org.fedrec.models.eval.MetricSums;
import org.fedrec.models.eval.PopularityScorer;
import org.fedrec.models.eval.RandomScorer;
import org.fedrec.models.eval.SampledCandidates;
import org.fedrec.models.eval.SampledRankingEvaluator;
import org.fedrec.models.eval.Scorer;
import org.fedrec.models.eval.UserItems;
import org.fedrec.privacy.DpFedAvg;
import org.fedrec.privacy.L2Clipping;

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
    private final Split split;
    private final Partition partition;
    private final RecommenderModel model;
    private final PrivateStates states;
    private final Map<String, ClientData> clientData;
    private final UserEvaluation testEvaluation;
    private final UserEvaluation validationEvaluation;
    private final TrainSettings trainSettings;
    private final RandomSource random;
    private final int threads;

    private Simulation(Config config, Dataset loaded) {
        this.config = config;
        this.random = RandomSource.seeded(config.get(SEED));
        this.threads = config.get(THREADS) == 0 ? Runtime.getRuntime().availableProcessors() : config.get(THREADS);
        this.trainSettings = trainSettings(config); // bad settings fail before the data is read
        this.dataset = loaded != null ? loaded : loadDataset(config);
        Dataset implicit = implicit(dataset, config.get(MIN_RATING));
        this.split = split(implicit, config);
        int numUsers = split.train().numUsers();
        int numItems = split.train().numItems();
        this.partition = partitioner(config).partition(split.train(), dataset.catalog(), config.get(SEED));
        this.model = model(config, numItems);
        this.states = model.newPrivateStates(numUsers, random);
        UserItems train = UserItems.ofPairs(numUsers, split.train().usersArray(), split.train().itemsArray());
        this.clientData = new LinkedHashMap<>();
        for (Partition.Client c : partition.clients()) {
            int[] users = c.users();
            int[][] items = new int[users.length][];
            for (int k = 0; k < users.length; k++) {
                items[k] = train.itemsOf(users[k]);
            }
            clientData.put(c.id(), ClientData.of(users, items));
        }
        boolean sampled = config.get(PROTOCOL).equals("sampled");
        if (sampled && !config.get(SPLIT).equals("loo")) {
            throw new CliException("eval.protocol=sampled ranks one held-out item per user and needs split=loo; "
                    + "use eval.protocol=full with split=" + config.get(SPLIT));
        }
        UserItems valItems = UserItems.ofPairs(numUsers, split.validation().usersArray(), split.validation().itemsArray());
        UserItems testItems = UserItems.ofPairs(numUsers, split.test().usersArray(), split.test().itemsArray());
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
            FullRankingEvaluator test = FullRankingEvaluator.builder(numItems, testItems).exclude(train).exclude(valItems)
                    .cutoffs(k).build();
            this.testEvaluation = new UserEvaluation(test::evaluate, evalThreads);
            this.validationEvaluation = split.validation().size() == 0 ? null
                    : new UserEvaluation(FullRankingEvaluator.builder(numItems, valItems).exclude(train).cutoffs(k)
                    .build()::evaluate, evalThreads);
        }
        if (differentiallyPrivate() && config.get(DP_EPSILON_BUDGET) > 0) {
            requireWithinBudget(config.get(ROUNDS), config.get(DP_EPSILON_BUDGET));
        }
    }

    /** Refuses a run whose planned rounds would spend more than the budget; the message says what fits. */
    private void requireWithinBudget(int rounds, double budget) {
        DpFedAvg dp = privateStrategy(new FedAvg(FedAvg.Settings.defaults()));
        double spent = dp.epsilonAfter(rounds);
        if (spent <= budget) {
            return;
        }
        long affordable = dp.roundsWithin(budget);
        DpFedAvg.Settings s = dp.settings();
        throw new CliException(String.format(java.util.Locale.ROOT,
                "dp.epsilon_budget=%s would be exceeded: rounds=%d would spend epsilon=%.4g at dp.delta=%s "
                        + "(q=%d/%d clients per round, dp.noise_multiplier=%s); %s",
                budget, rounds, spent, s.delta(), s.expectedCohort(), s.population(), s.noiseMultiplier(),
                affordable == 0 ? "not even 1 round fits the budget: raise dp.noise_multiplier or lower clients_per_round"
                        : "at most " + affordable + " rounds fit the budget: set rounds=" + affordable
                        + ", or raise dp.noise_multiplier or lower clients_per_round"));
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

    private static RecommenderModel model(Config config, int numItems) {
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

    private static Dataset loadDataset(Config config) {
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
            case "ratio" -> new RandomRatioSplit(config.get(TEST_RATIO), config.get(VALIDATION) ? 0.1 : 0.0,
                    config.get(SEED)).split(d);
            default -> d.givenSplit().orElseThrow(() -> new CliException("split=given but dataset " + d.name()
                    + " has no given train/test files"));
        };
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

    /** The strategy the config names, with its clients' training settings. */
    public Strategy strategy() {
        Strategy strategy = plainStrategy();
        if (config.get(HIDE_ITEMS).equals("secagg_totals")) {
            // The real secure aggregation protocol plugs in here in place of the cleartext sum.
            return new SecureRowSumFedAvg((FedAvg) strategy, new CleartextSum(), config.get(SECAGG_MIN_CLIENTS));
        }
        return differentiallyPrivate() ? privateStrategy(strategy) : strategy;
    }

    /** True when {@code dp.enabled}: clients clip (see {@link #clientFactory()}) and the server runs DP-FedAvg. */
    public boolean differentiallyPrivate() {
        return config.get(DP_ENABLED);
    }

    /**
     * DP-FedAvg around {@code selection}: the expected cohort m is what the configured sampler takes from the
     * whole population; the server learning rate is strategy.server_lr, or 1 (FedAvg) when unset.
     */
    private DpFedAvg privateStrategy(Strategy selection) {
        int population = clientData.size();
        double serverLr = config.get(SERVER_LR) > 0 ? config.get(SERVER_LR) : 1.0;
        DpFedAvg.Settings settings = new DpFedAvg.Settings(config.get(DP_CLIP), config.get(DP_NOISE_MULTIPLIER),
                fitSampler().size(population), population, config.get(DP_DELTA), serverLr, java.util.Set.of());
        // The configured strategy's server optimiser (FedAdam for per-user clients) steps on the noised mean.
        return selection instanceof FedAvg fedAvg ? new DpFedAvg(selection, settings, fedAvg::applyServerStep)
                : new DpFedAvg(selection, settings);
    }

    /** One line on the privacy settings and the epsilon the planned rounds spend, or null without DP. */
    public String privacySummary() {
        if (!differentiallyPrivate()) {
            return null;
        }
        DpFedAvg dp = privateStrategy(new FedAvg(FedAvg.Settings.defaults()));
        DpFedAvg.Settings s = dp.settings();
        return String.format(java.util.Locale.ROOT,
                "DP-FedAvg: clip C=%s, noise multiplier z=%s, %d of %d clients per round (q=%.4g); "
                        + "%d rounds spend epsilon=%.4g at delta=%s",
                s.clip(), s.noiseMultiplier(), s.expectedCohort(), s.population(), s.samplingRate(),
                config.get(ROUNDS), dp.epsilonAfter(config.get(ROUNDS)), s.delta());
    }

    private ClientSampler fitSampler() {
        return config.get(CLIENTS_PER_ROUND) > 0 ? ClientSampler.count(config.get(CLIENTS_PER_ROUND))
                : ClientSampler.fraction(config.get(CLIENT_FRACTION));
    }

    private Strategy plainStrategy() {
        ClientSampler sampler = fitSampler();
        RoundConfig fit = trainSettings.toRoundConfig();
        String name = strategyName();
        double serverLr = config.get(SERVER_LR) > 0 ? config.get(SERVER_LR) : defaultServerLearningRate(name);
        FedAvg.Settings s = new FedAvg.Settings(sampler, ClientSampler.all(), fit, RoundConfig.EMPTY, serverLr, true);
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
     * Builds clients on demand; they share the population's private states. With {@code dp.enabled} each
     * client clips its update ({@link L2Clipping}) before it leaves the client.
     */
    public ClientFactory clientFactory() {
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
            ClientData data = clientData.get(id);
            if (data == null) {
                throw new IllegalArgumentException("no client '" + id + "' in this partition");
            }
            return new RecommenderClient(id, model, data, states, trainSettings, evaluator);
        };
        return differentiallyPrivate()
                ? ClientFactory.intercepted(factory, List.of(new L2Clipping(config.get(DP_CLIP)))) : factory;
    }

    /** Test metrics of the popularity and random baselines, evaluated centrally. */
    public Map<String, Map<String, Double>> baselines() {
        int[] users = new int[split.train().numUsers()];
        for (int u = 0; u < users.length; u++) {
            users[u] = u;
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Scorer popularity = PopularityScorer.fromItems(split.train().numItems(), split.train().itemsArray());
        UserEvaluation all = new UserEvaluation(testEvaluation.evaluate(), threads);
        out.put("popularity", all.run(popularity, users).means());
        out.put("random", all.run(new RandomScorer(config.get(SEED)), users).means());
        return out;
    }

    public List<String> clientIds() {
        return new ArrayList<>(clientData.keySet());
    }

    public RecommenderModel model() {
        return model;
    }

    public Dataset dataset() {
        return dataset;
    }

    public Split split() {
        return split;
    }

    public Partition partition() {
        return partition;
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
