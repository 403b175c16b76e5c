package org.fedrec.cli.simulate;

import java.util.List;

import org.fedrec.core.config.ConfigDef;
import org.fedrec.core.config.ConfigKey;

/**
 * Every key of {@code fedrec simulate}, defined once with type, default and meaning. {@code --help} and
 * docs/config.md are generated from these definitions.
 */
public final class SimulateKeys {

    private SimulateKeys() {
    }

    public static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 42L,
            "Seed of every random choice in the run (data generation, splits, sampling, initialisation).");

    public static final ConfigKey<String> DATASET = ConfigKey.ofChoice("dataset", "synthetic",
            List.of("synthetic", "ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "adjacency", "csv"),
            "Dataset: the built-in synthetic shop, a MovieLens release, BARS/LightGCN adjacency files or a delimited file.");
    public static final ConfigKey<String> DATA_DIR = ConfigKey.ofString("data_dir", null,
            "Directory (or file, for csv) holding the dataset. Unset for ml-100k/ml-1m: downloaded into data.cache_dir.");
    public static final ConfigKey<String> CACHE_DIR = ConfigKey.ofString("data.cache_dir", null,
            "Where downloaded datasets are kept (default ~/.cache/fedrec).");
    public static final ConfigKey<Double> MIN_RATING = ConfigKey.ofDouble("data.min_rating", 0.0, 0, 1e9,
            "Implicit feedback: interactions with a value below this are dropped; 0 keeps all interactions as positives.");
    public static final ConfigKey<String> USER_COLUMN = ConfigKey.ofString("data.user_column", "user",
            "dataset=csv: header of the user id column.");
    public static final ConfigKey<String> ITEM_COLUMN = ConfigKey.ofString("data.item_column", "item",
            "dataset=csv: header of the item id column.");
    public static final ConfigKey<String> VALUE_COLUMN = ConfigKey.ofString("data.value_column", "rating",
            "dataset=csv: header of the rating or click-label column (optional in the file while left at its default; empty = not read).");
    public static final ConfigKey<String> TIMESTAMP_COLUMN = ConfigKey.ofString("data.timestamp_column", "timestamp",
            "dataset=csv: header of the integer timestamp column (optional in the file while left at its default; empty = not read).");
    public static final ConfigKey<String> ITEM_FILE = ConfigKey.ofString("data.item_file", null,
            "dataset=csv: a delimited file of item texts with columns item, title and optional categories.");
    public static final ConfigKey<String> TEST_FILE = ConfigKey.ofString("data.test_file", null,
            "dataset=csv: a second file of the same columns holding the test interactions (use with split=given).");
    public static final ConfigKey<String> DUPLICATES = ConfigKey.ofChoice("data.duplicates", "keep_latest",
            List.of("keep_latest", "keep_all", "fail"),
            "Repeated (user, item) rows: keep the latest (reported), keep all, or fail naming the rows.");
    public static final ConfigKey<Integer> SYNTH_USERS = ConfigKey.ofInt("synthetic.users", 2000, 10, 100_000_000,
            "Users of the synthetic shop.");
    public static final ConfigKey<Integer> SYNTH_ITEMS = ConfigKey.ofInt("synthetic.items", 1000, 10, 100_000_000,
            "Items of the synthetic shop.");

    public static final ConfigKey<String> SPLIT = ConfigKey.ofChoice("split", "loo", List.of("loo", "ratio", "given", "cold_items"),
            "loo: per user the latest interaction is the test item (the second latest the validation item); "
                    + "ratio: per-user random split; given: the dataset's own train/test files; cold_items: "
                    + "split.cold_fraction of the items held out entirely for test (split.cold_validation_fraction "
                    + "for validation), each user's held-out items ranked among those items only (full ranking; "
                    + "eval.protocol=sampled is switched to full, with a note); only users with a training "
                    + "interaction are evaluated.");
    public static final ConfigKey<Boolean> VALIDATION = ConfigKey.ofBoolean("split.validation", true,
            "Hold out a validation item per user (loo) for early stopping.");
    public static final ConfigKey<Double> COLD_FRACTION = ConfigKey.ofDouble("split.cold_fraction", 0.2, 1e-9, 0.9,
            "split=cold_items: seeded fraction of the interacted items whose every interaction goes to test.");
    public static final ConfigKey<Double> COLD_VALIDATION_FRACTION = ConfigKey.ofDouble("split.cold_validation_fraction",
            0.1, 0.0, 0.9, "split=cold_items: a further, disjoint fraction of the items held out entirely for validation "
                    + "(with split.validation=true); cold_fraction + this must be below 1.");
    public static final ConfigKey<Double> TEST_RATIO = ConfigKey.ofDouble("split.test_ratio", 0.2, 0.0, 0.9,
            "Fraction of each user's interactions for test (split=ratio).");

    public static final ConfigKey<String> PARTITION = ConfigKey.ofChoice("partition", "per_user",
            List.of("per_user", "iid", "dirichlet", "size_skew", "central"),
            "per_user: one client per user (cross-device); iid/dirichlet/size_skew: partition.clients silos; "
                    + "central: one client with all data (the centralized baseline through the same code).");
    public static final ConfigKey<Integer> CLIENTS = ConfigKey.ofInt("partition.clients", 10, 1, 1_000_000,
            "Number of silos for iid, dirichlet and size_skew partitions.");
    public static final ConfigKey<Double> ALPHA = ConfigKey.ofDouble("partition.alpha", 0.5, 1e-6, 1e6,
            "Dirichlet concentration over item categories (small = more skew).");
    public static final ConfigKey<Double> SKEW = ConfigKey.ofDouble("partition.skew", 1.0, 0.0, 10.0,
            "Size skew of silos (0 = equal sizes).");

    public static final ConfigKey<String> MODEL = ConfigKey.ofChoice("model", "mf", List.of("mf", "neumf", "text", "hybrid"),
            "mf: matrix factorisation with item biases; neumf: neural collaborative filtering (GMF + MLP); text: "
                    + "two-tower over frozen item-text embeddings (encoder.model) with a LoRA adapter, only the adapter "
                    + "and item biases travel; hybrid: text plus an item-id embedding of model.id_dim.");
    public static final ConfigKey<Integer> LORA_RANK = ConfigKey.ofInt("model.lora_rank", 8, 1, 384,
            "text/hybrid: rank r of the LoRA adapter B A on the frozen text projection.");
    public static final ConfigKey<Integer> ID_DIM = ConfigKey.ofInt("model.id_dim", 32, 1, 4096,
            "hybrid: width of the item-id embedding placed after the model.dim-wide text vector.");
    public static final ConfigKey<String> USER_TOWER = ConfigKey.ofChoice("model.user_tower", "both",
            List.of("embedding", "history", "both"),
            "text/hybrid: a user is its private embedding, the projected mean text of its training items "
                    + "(scores users never trained), or their sum.");
    public static final ConfigKey<Boolean> PERSONAL_ADAPTER = ConfigKey.ofBoolean("model.personal_adapter", false,
            "text/hybrid: every user also keeps a private personal adapter over the item text (score + w_u . e_i, "
                    + "the score-effect of a per-user LoRA B_u A_u); trained on the device, it never travels.");
    public static final ConfigKey<String> ENCODER_MODEL = ConfigKey.ofChoice("encoder.model", "all-MiniLM-L6-v2",
            List.of("all-MiniLM-L6-v2", "bge-small-en-v1.5"),
            "text/hybrid: the pretrained text encoder of the item texts (ONNX Runtime; cached on disk).");
    public static final ConfigKey<Integer> DIM = ConfigKey.ofInt("model.dim", 64, 1, 4096,
            "Embedding dimension (for neumf: of the GMF part).");
    public static final ConfigKey<Integer> MLP_DIM = ConfigKey.ofInt("model.mlp_dim", 32, 1, 4096,
            "NeuMF: user and item embedding size of the MLP tower.");
    public static final ConfigKey<String> MLP_LAYERS = ConfigKey.ofString("model.mlp_layers", "64,32,16",
            "NeuMF: units of the MLP tower's layers, comma-separated (the first takes 2 * model.mlp_dim inputs).");
    public static final ConfigKey<Double> INIT_STD = ConfigKey.ofDouble("model.init_std", 0.1, 0.0, 10.0,
            "Standard deviation of the normal initialisation of MF embeddings.");

    public static final ConfigKey<String> LOSS = ConfigKey.ofChoice("train.loss", "auto",
            List.of("auto", "bpr", "softmax", "bce"),
            "Local loss: pairwise BPR, sampled softmax over the positive and its negatives, or binary cross-entropy; "
                    + "auto = bpr for mf, bce for neumf.");
    public static final ConfigKey<String> OPTIMIZER = ConfigKey.ofChoice("train.optimizer", "auto",
            List.of("auto", "sgd", "adam"), "Local optimiser; auto = sgd for mf, adam for neumf.");
    public static final ConfigKey<Double> LR = ConfigKey.ofDouble("train.lr", 0.0, 0.0, 100,
            "Local learning rate; 0 = 0.02 for mf (SGD), 0.001 for neumf (Adam).");
    public static final ConfigKey<Integer> NEGATIVE_CANDIDATES = ConfigKey.ofInt("train.negative_candidates", 1, 1, 1000,
            "1 = uniform negatives; m > 1 = each negative is the highest-scoring of m uniform candidates "
                    + "(dynamic negative sampling).");
    public static final ConfigKey<Double> L2 = ConfigKey.ofDouble("train.l2", 0.03, 0, 100,
            "L2 penalty on every parameter row a step touches.");
    public static final ConfigKey<Integer> NEGATIVES = ConfigKey.ofInt("train.negatives", 4, 1, 10_000,
            "Uniformly sampled negatives per positive.");
    public static final ConfigKey<Double> TEMPERATURE = ConfigKey.ofDouble("train.temperature", 0.2, 1e-6, 100,
            "Softmax temperature (train.loss=softmax).");
    public static final ConfigKey<Double> RECENCY_BOOST = ConfigKey.ofDouble("train.recency_boost", 8.0, 0, 1e6,
            "split=loo with timestamps: a user's interaction that is a interactions older than its latest is visited "
                    + "1 + round(boost * 2^(-a / train.recency_halflife)) times per local epoch, because the next item "
                    + "follows recent tastes; 0 = every interaction once. Ignored for other splits.");
    public static final ConfigKey<Double> RECENCY_HALFLIFE = ConfigKey.ofDouble("train.recency_halflife", 5.0, 1e-6, 1e9,
            "Age, in interactions, at which the extra visits of train.recency_boost halve.");
    public static final ConfigKey<Integer> LOCAL_EPOCHS = ConfigKey.ofInt("train.local_epochs", 1, 1, 1000,
            "Passes over its local data a client makes per round.");

    public static final ConfigKey<String> STRATEGY = ConfigKey.ofChoice("strategy", "auto",
            List.of("auto", "fedavg", "fedavgm", "fedprox", "fedadam", "fedyogi", "fedadagrad"),
            "Server aggregation: FedAvg (example-weighted), FedAvgM, FedProx, FedAdam, FedYogi, FedAdagrad; "
                    + "auto = fedadam for partition=per_user (each item row is averaged over the few clients that "
                    + "touched it, and adaptive server steps restore its scale), fedavg otherwise and in mode=async "
                    + "(a small buffer's mean already has the scale of a client's own change).");
    public static final ConfigKey<Double> SERVER_LR = ConfigKey.ofDouble("strategy.server_lr", 0.0, 0.0, 1e6,
            "Server learning rate; 0 = the strategy's default: 1 for fedavg, fedavgm and fedprox, 0.1 for fedadam, "
                    + "fedyogi and fedadagrad.");
    public static final ConfigKey<Double> MOMENTUM = ConfigKey.ofDouble("strategy.momentum", 0.9, 0.0, 0.999999,
            "Server momentum (fedavgm).");
    public static final ConfigKey<Double> PROXIMAL_MU = ConfigKey.ofDouble("strategy.proximal_mu", 0.01, 0.0, 1e6,
            "Proximal coefficient mu (fedprox).");
    public static final ConfigKey<Double> BETA1 = ConfigKey.ofDouble("strategy.beta1", 0.9, 0.0, 0.999999,
            "First-moment decay of FedAdam/FedYogi/FedAdagrad.");
    public static final ConfigKey<Double> BETA2 = ConfigKey.ofDouble("strategy.beta2", 0.99, 0.0, 0.999999,
            "Second-moment decay of FedAdam/FedYogi.");
    public static final ConfigKey<Double> TAU = ConfigKey.ofDouble("strategy.tau", 1e-3, 1e-12, 10,
            "Adaptivity tau of FedAdam/FedYogi/FedAdagrad.");

    public static final ConfigKey<Integer> ROUNDS = ConfigKey.ofInt("rounds", 100, 1, 10_000_000,
            "Federated rounds (at most; early stopping may end sooner).");
    public static final ConfigKey<Integer> CLIENTS_PER_ROUND = ConfigKey.ofInt("clients_per_round", 0, 0, 100_000_000,
            "Clients sampled per round; 0 uses client_fraction.");
    public static final ConfigKey<Double> CLIENT_FRACTION = ConfigKey.ofDouble("client_fraction", 1.0, 1e-9, 1.0,
            "Fraction of clients sampled per round when clients_per_round is 0.");

    public static final ConfigKey<Integer> EVAL_EVERY = ConfigKey.ofInt("eval.every", 5, 0, 1_000_000,
            "Evaluate every n rounds (and always after the last); 0 = only at the end.");
    public static final ConfigKey<String> PROTOCOL = ConfigKey.ofChoice("eval.protocol", "sampled",
            List.of("sampled", "full"),
            "sampled: rank the held-out item among eval.negatives sampled unseen items (HR@K, NDCG@K; needs split=loo); "
                    + "full: rank all items, training items excluded (Recall@K, NDCG@K, HitRate@K).");
    public static final ConfigKey<Integer> EVAL_NEGATIVES = ConfigKey.ofInt("eval.negatives", 99, 1, 1_000_000,
            "Sampled negatives per held-out item (eval.protocol=sampled).");
    public static final ConfigKey<Integer> EVAL_K = ConfigKey.ofInt("eval.k", 10, 1, 10_000,
            "Cut-off K of the ranking metrics.");
    public static final ConfigKey<Boolean> REFIT = ConfigKey.ofBoolean("early_stopping.refit", true,
            "After early stopping picked the best round R on validation, train again from scratch on train + "
                    + "validation for R rounds and report that model (the selection run is kept in selection/).");
    public static final ConfigKey<Integer> PATIENCE = ConfigKey.ofInt("early_stopping.patience", 6, 0, 1_000_000,
            "Evaluations without improvement of the validation metric before stopping; 0 never stops early.");

    public static final ConfigKey<Boolean> DP_ENABLED = ConfigKey.ofBoolean("dp.enabled", false,
            "Client-level differential privacy by DP-FedAvg (McMahan et al. 2018): each client clips its whole update "
                    + "to L2 norm dp.clip, the server adds Gaussian noise of std dp.noise_multiplier * dp.clip to every "
                    + "coordinate of the sum, divides by the expected cohort size and the configured strategy's server "
                    + "optimiser steps on that noised mean (post-processing). "
                    + "No early_stopping.refit: a second run on the same clients would spend the budget again.");
    public static final ConfigKey<Double> DP_CLIP = ConfigKey.ofDouble("dp.clip", 1.0, 1e-9, 1e9,
            "DP: L2 bound C on each client's whole update (every table, sparse rows included).");
    public static final ConfigKey<Double> DP_NOISE_MULTIPLIER = ConfigKey.ofDouble("dp.noise_multiplier", 1.0, 0.0, 1e6,
            "DP: noise multiplier z; the noise on the sum of updates has standard deviation z * dp.clip "
                    + "(0 = clipping only, epsilon = infinity).");
    public static final ConfigKey<Double> DP_DELTA = ConfigKey.ofDouble("dp.delta", 1e-5, 1e-30, 0.5,
            "DP: the delta at which the epsilon spent is reported each round (metric 'epsilon').");
    public static final ConfigKey<String> DP_ACCOUNTANT = ConfigKey.ofChoice("dp.accountant", "rdp",
            List.of("rdp", "pld"),
            "DP: how the epsilon reported each round and checked against dp.epsilon_budget is computed: rdp = Renyi "
                    + "DP with the improved conversion (an upper bound); pld = privacy loss distributions "
                    + "(dp_accounting's method, grid dp.pld_discretization: tighter, about two FFTs per round; with "
                    + "every client in every round, q = 1, the exact Gaussian epsilon).");
    public static final ConfigKey<Double> DP_PLD_DISCRETIZATION = ConfigKey.ofDouble("dp.pld_discretization", 1e-4,
            1e-6, 1.0,
            "DP: with dp.accountant=pld, the grid spacing of the privacy loss (dp_accounting's default 1e-4). The "
                    + "error is second order: 1e-3 costs about a tenth per round and reports an epsilon within 6e-4 "
                    + "(relative) above the one at 1e-4, still an upper bound.");
    public static final ConfigKey<Double> DP_EPSILON_BUDGET = ConfigKey.ofDouble("dp.epsilon_budget", 0.0, 0.0, 1e6,
            "DP: the most epsilon (at dp.delta) a run may spend, see dp.on_budget "
                    + "(by dp.accountant, q = expected clients per round / clients); 0 = no budget.");
    public static final ConfigKey<String> DP_ON_BUDGET = ConfigKey.ofChoice("dp.on_budget", "refuse",
            List.of("refuse", "stop"),
            "DP: refuse = do not start a run whose 'rounds' rounds would exceed dp.epsilon_budget; stop = run and "
                    + "end cleanly after the last round within the budget (evaluated; summary ending BUDGET_EXHAUSTED).");
    public static final ConfigKey<String> DP_SAMPLING = ConfigKey.ofChoice("dp.sampling", "fixed",
            List.of("fixed", "poisson"),
            "DP: fixed = a cohort of exactly clients_per_round (or client_fraction) clients, accounted with "
                    + "q = m / N as the usual approximation; poisson = each client joins a round independently with "
                    + "q = clients_per_round / N (or client_fraction), the sampling the accountant analyses, and the "
                    + "mean divides by the expected cohort q * N.");
    public static final ConfigKey<Boolean> DP_ADAPTIVE_CLIP = ConfigKey.ofBoolean("dp.adaptive_clip", false,
            "DP: adaptive clipping (Andrew et al. 2021): dp.clip is the initial bound, moved each round towards the "
                    + "dp.target_quantile of client update norms from a noised count of unclipped updates; the "
                    + "configured dp.noise_multiplier covers both (the update noise rises slightly).");
    public static final ConfigKey<Double> DP_TARGET_QUANTILE = ConfigKey.ofDouble("dp.target_quantile", 0.5, 0.01, 0.99,
            "DP adaptive clipping: the fraction of client updates that should be within the bound.");
    public static final ConfigKey<Double> DP_CLIP_LR = ConfigKey.ofDouble("dp.clip_lr", 0.2, 1e-6, 10,
            "DP adaptive clipping: learning rate of the geometric update C <- C * exp(-lr * (unclipped fraction - target)).");
    public static final ConfigKey<Double> DP_CLIP_COUNT_STDDEV = ConfigKey.ofDouble("dp.clip_count_stddev", 0.0, 0.0, 1e9,
            "DP adaptive clipping: std of the noise on the count of unclipped updates; 0 = expected clients per "
                    + "round / 20 (the paper's choice); must exceed dp.noise_multiplier / 2.");
    public static final ConfigKey<Double> DP_LOCAL_NOISE_MULTIPLIER = ConfigKey.ofDouble("dp.local_noise_multiplier", 0.0,
            0.0, 1e6,
            "DP: local DP: each client clips to dp.clip and adds Gaussian noise of this times dp.clip to every value "
                    + "of its (then dense) update; metrics local_epsilon (one round) and local_epsilon_worst "
                    + "(the most frequent participant). 0 = off.");

    public static final ConfigKey<String> HIDE_ITEMS = ConfigKey.ofChoice("privacy.hide_items", "none",
            List.of("none", "dense", "padding", "secagg_totals"),
            "What the server can learn of the items a client's users touched. none: sparse rows of the positives and "
                    + "sampled negatives (a curious server finds the positives from one update). dense (mf only): every "
                    + "catalog row, each step taking the expectation over all unseen items as negatives; hides which rows "
                    + "were touched, not which were positives. padding: each user also trains privacy.padding_ratio times "
                    + "as many fake items under labels drawn from the model (FedRec-style), so positives hide among "
                    + "positive-looking fakes. secagg_totals: the server sees only the per-row sums and counts over the "
                    + "cohort (secure aggregation, see privacy.secure_sum), every row of every table sent by every client.");
    public static final ConfigKey<Double> PADDING_RATIO = ConfigKey.ofDouble("privacy.padding_ratio", 1.0, 1e-6, 1000,
            "privacy.hide_items=padding: fake items per real positive of each user, drawn afresh each round.");
    public static final ConfigKey<Integer> SECAGG_MIN_CLIENTS = ConfigKey.ofInt("privacy.secagg_min_clients", 10, 2,
            100_000_000, "privacy.hide_items=secagg_totals: a round with fewer results is not aggregated "
                    + "(totals over few clients say much about each).");

    public static final ConfigKey<String> SECURE_SUM = ConfigKey.ofChoice("privacy.secure_sum", "cleartext",
            List.of("cleartext", "secagg"),
            "privacy.hide_items=secagg_totals: how the cohort totals are computed. cleartext: summed in the clear (the "
                    + "same totals, fast, for experiments); secagg: the secure-aggregation protocol (X25519, Shamir, "
                    + "AES-CTR masks, SecAgg+ graph of degree privacy.secagg_degree) run in this process, about a "
                    + "minute per round for 1,000 clients x 100k values on 2 cores.");
    public static final ConfigKey<Integer> SECAGG_DEGREE = ConfigKey.ofInt("privacy.secagg_degree", 30, 0, 100_000,
            "privacy.secure_sum=secagg: SecAgg+ neighbours per client (even); 0 = every pair of clients.");

    public static final ConfigKey<String> MODE = ConfigKey.ofChoice("mode", "sync", List.of("sync", "async"),
            "sync: rounds (sample, train, aggregate, repeat); async: FedBuff (Nguyen et al. 2022), asynchronous "
                    + "buffered aggregation over simulated devices: async.concurrency clients train at once, the server "
                    + "applies the staleness-weighted mean of every async.buffer results. 'rounds' and 'eval.every' then "
                    + "count round-equivalents of ceil(clients per round / async.buffer) server versions (the same client "
                    + "updates as a synchronous round), and the metrics' round column is the server version. Simulated time (metric sim_time) follows the devices.* "
                    + "keys. Not with dp.enabled or privacy.hide_items=secagg_totals.");
    public static final ConfigKey<Integer> ASYNC_CONCURRENCY = ConfigKey.ofInt("async.concurrency", 100, 1, 100_000_000,
            "mode=async: clients training at once (C); at most the number of clients.");
    public static final ConfigKey<Integer> ASYNC_BUFFER = ConfigKey.ofInt("async.buffer", 10, 1, 100_000_000,
            "mode=async: results buffered before the server updates the model (K).");
    public static final ConfigKey<Double> ASYNC_STALENESS_EXPONENT = ConfigKey.ofDouble("async.staleness_exponent", 0.5,
            0.0, 100, "mode=async: a result that started s server versions ago is weighted (1 + s)^-a "
                    + "(0.5: the paper's 1/sqrt(1 + s); 0: no down-weighting).");

    public static final ConfigKey<Boolean> DEVICES = ConfigKey.ofBoolean("devices.enabled", false,
            "Simulate heterogeneous devices (devices.* keys) and simulated time in sync mode: only available clients "
                    + "are sampled, dropouts and devices that go offline come back as failures, and a round lasts "
                    + "until its slowest delivered update (or devices.deadline); metric sim_time. Always on in mode=async.");
    public static final ConfigKey<Double> DEVICE_SPEED = ConfigKey.ofDouble("devices.examples_per_second", 200, 1e-6, 1e12,
            "Median device compute speed, in training pair visits per second (a task visits train.local_epochs x "
                    + "the client's pair visits per epoch).");
    public static final ConfigKey<Double> DEVICE_SPEED_SPREAD = ConfigKey.ofDouble("devices.speed_spread", 1.0, 0, 10,
            "Log-normal spread of device speeds: speed = median x exp(spread x N(0, 1)); 0 = identical devices.");
    public static final ConfigKey<Double> DEVICE_UPLINK = ConfigKey.ofDouble("devices.uplink_kb_per_s", 250, 1e-6, 1e12,
            "Median uplink bandwidth in kB (1000 bytes) per second; an update's upload takes its fp32 wire size over it.");
    public static final ConfigKey<Double> DEVICE_DOWNLINK = ConfigKey.ofDouble("devices.downlink_kb_per_s", 1250, 1e-6, 1e12,
            "Median downlink bandwidth in kB per second; each task first downloads the whole global model (fp32, or as "
                    + "compression.downlink_codec encodes it).");
    public static final ConfigKey<Double> DEVICE_BANDWIDTH_SPREAD = ConfigKey.ofDouble("devices.bandwidth_spread", 0.7,
            0, 10, "Log-normal spread of each device's up- and downlink bandwidth around the medians.");
    public static final ConfigKey<Double> DEVICE_PERIOD = ConfigKey.ofDouble("devices.period", 3600, 1e-6, 1e12,
            "Length in seconds of a device's availability cycle: with the default, a device is idle, charging and on an "
                    + "unmetered network for devices.available_fraction of every hour, at its own phase (a daily cycle, "
                    + "86400, leaves the devices of the other half of the day out of any run shorter than a day).");
    public static final ConfigKey<Double> DEVICE_AVAILABLE = ConfigKey.ofDouble("devices.available_fraction", 0.5, 1e-6, 1,
            "Fraction of each cycle a device is available (one window per cycle at a per-device random phase); "
                    + "a task whose download and compute do not end within its window fails (went offline); 1 = always.");
    public static final ConfigKey<Double> DEVICE_DROPOUT = ConfigKey.ofDouble("devices.dropout", 0.1, 0, 0.999999,
            "Probability that a task drops out (after a uniform fraction of its download and compute), as a failure.");
    public static final ConfigKey<Double> DEVICE_DEADLINE = ConfigKey.ofDouble("devices.deadline", 0, 0, 1e12,
            "Sync rounds on simulated devices: seconds a round waits at most; later updates are failures (missed "
                    + "deadline). 0 = wait for every update that is delivered (dropouts are detected when they happen).");

    public static final ConfigKey<Integer> EVAL_USERS = ConfigKey.ofInt("eval.users", 0, 0, 100_000_000,
            "Evaluate a seeded random sample of this many clients at each evaluation (a fresh sample each time) "
                    + "instead of every client, for huge populations; 0 = every client.");
    public static final ConfigKey<String> COMPRESSION_CODEC = ConfigKey.ofString("compression.codec", "none",
            "How client updates are encoded on the uplink: none (fp32 values, 4-byte row indices) or stages joined by "
                    + "'+': topk:F keeps the ceil(F * rows * cols) largest-magnitude values of each table (F a fraction "
                    + "of the table's dense size, sent as varint-coded flat indices and values); then the value format "
                    + "fp32, fp16 (IEEE half, round to nearest even), q8 or q4 (unbiased stochastic quantization with "
                    + "one fp32 max-norm scale per block of 64 values; q8:B sets the block); then deflate (DEFLATE of "
                    + "the payload). Row indices are varint-coded gaps. E.g. q8, fp16+deflate, topk:0.01+q8+deflate. "
                    + "Runs after dp clipping and local noise on the client; the server decodes before aggregating.");
    public static final ConfigKey<String> COMPRESSION_DENSE_CODEC = ConfigKey.ofString("compression.dense_codec",
            "same", "Codec of the tables a client sends dense (LoRA adapters, network weights), a spec in "
                    + "compression.codec's syntax other than none (fp32 keeps values exact); same = compression.codec. E.g. compression.codec=topk:0.01+q8 compression.dense_codec=q8 "
                    + "sparsifies the item rows but sends every adapter value, quantised.");
    public static final ConfigKey<String> COMPRESSION_DOWNLINK_CODEC = ConfigKey.ofString(
            "compression.downlink_codec", "none",
            "How the server sends the global model to the round's training clients: none (fp32) or a value format "
                    + "of compression.codec's syntax without top-k: fp16, q8[:B] or q4[:B], optionally +deflate. "
                    + "Encoded once per round; clients train from the decoded copy and send their change from it, "
                    + "the server's model stays exact. Evaluation gets the exact model. Sync mode only.");
    public static final ConfigKey<String> COMPRESSION_ERROR_FEEDBACK = ConfigKey.ofChoice("compression.error_feedback",
            "auto", List.of("auto", "on", "off"),
            "Error feedback: each client keeps what compression dropped (its update plus residual minus what the "
                    + "server decodes, as sparse rows in client memory, never sent) and adds it to its next update. "
                    + "auto = on for codecs with topk, off otherwise (stochastic quantization is unbiased). "
                    + "Not with engine=spark (the residual is client state the Spark engine does not keep).");

    public static final ConfigKey<Integer> THREADS = ConfigKey.ofInt("threads", 0, 0, 4096,
            "Worker threads for clients and evaluation; 0 = all cores.");

    public static final ConfigKey<String> ENGINE = ConfigKey.ofChoice("engine", "in-memory", List.of("in-memory", "spark"),
            "Where clients run: in-memory (this JVM, 'threads' workers) or spark (executors of engine.spark_master; "
                    + "same seed, same results).");
    public static final ConfigKey<String> SPARK_MASTER = ConfigKey.ofString("engine.spark_master", "local[*]",
            "engine=spark: the Spark master URL: local[*] (embedded, bound to 127.0.0.1), local[N], or a cluster's "
                    + "spark://host:port, whose executors must reach the dataset at the same data_dir.");
    public static final ConfigKey<Integer> SPARK_PARTITIONS = ConfigKey.ofInt("engine.spark_partitions", 0, 0, 1_000_000,
            "engine=spark: partitions the clients are dealt to (each keeps its users' private state); "
                    + "0 = the master's default parallelism.");

    public static ConfigDef definition() {
        return new ConfigDef().defineAll(List.of(SEED, DATASET, DATA_DIR, CACHE_DIR, MIN_RATING, USER_COLUMN, ITEM_COLUMN, VALUE_COLUMN, TIMESTAMP_COLUMN, ITEM_FILE,
                TEST_FILE, DUPLICATES, SYNTH_USERS, SYNTH_ITEMS,
                SPLIT, VALIDATION, COLD_FRACTION, COLD_VALIDATION_FRACTION, TEST_RATIO, PARTITION, CLIENTS, ALPHA, SKEW, MODEL, DIM, LORA_RANK, ID_DIM, USER_TOWER, PERSONAL_ADAPTER, ENCODER_MODEL, MLP_DIM, MLP_LAYERS, INIT_STD, LOSS, OPTIMIZER, LR, NEGATIVE_CANDIDATES, RECENCY_BOOST, RECENCY_HALFLIFE,
                L2, NEGATIVES, TEMPERATURE, LOCAL_EPOCHS, STRATEGY, SERVER_LR, MOMENTUM, PROXIMAL_MU, BETA1, BETA2, TAU,
                ROUNDS, CLIENTS_PER_ROUND, CLIENT_FRACTION, EVAL_EVERY, PROTOCOL, EVAL_NEGATIVES, EVAL_K, PATIENCE, REFIT,
                DP_ENABLED, DP_CLIP, DP_NOISE_MULTIPLIER, DP_DELTA, DP_ACCOUNTANT, DP_PLD_DISCRETIZATION, DP_EPSILON_BUDGET, DP_ON_BUDGET, DP_SAMPLING,
                DP_ADAPTIVE_CLIP, DP_TARGET_QUANTILE, DP_CLIP_LR, DP_CLIP_COUNT_STDDEV, DP_LOCAL_NOISE_MULTIPLIER, HIDE_ITEMS, PADDING_RATIO,
                SECAGG_MIN_CLIENTS, SECURE_SUM, SECAGG_DEGREE, MODE, ASYNC_CONCURRENCY, ASYNC_BUFFER,
                ASYNC_STALENESS_EXPONENT, DEVICES, DEVICE_SPEED, DEVICE_SPEED_SPREAD, DEVICE_UPLINK, DEVICE_DOWNLINK,
                DEVICE_BANDWIDTH_SPREAD, DEVICE_PERIOD, DEVICE_AVAILABLE, DEVICE_DROPOUT, DEVICE_DEADLINE, EVAL_USERS, COMPRESSION_CODEC, COMPRESSION_DENSE_CODEC, COMPRESSION_DOWNLINK_CODEC, COMPRESSION_ERROR_FEEDBACK, THREADS,
                ENGINE, SPARK_MASTER,
                SPARK_PARTITIONS));
    }
}
