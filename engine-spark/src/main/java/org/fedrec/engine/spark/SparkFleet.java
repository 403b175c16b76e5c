package org.fedrec.engine.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.Fleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Responses;
import org.fedrec.core.RoundConfig;
import org.fedrec.engine.spark.internal.ExecutorCache;
import org.fedrec.engine.spark.internal.Outcome;
import org.fedrec.engine.spark.internal.PartitionState;
import org.fedrec.engine.spark.internal.PartitionStep;
import org.fedrec.engine.spark.internal.PartitionTasks;
import org.fedrec.engine.spark.internal.RoundPlan;

/**
 * A {@link Fleet} whose clients live in Spark executors. The population's clients are dealt round-robin
 * (in population order) to a fixed number of partitions, each of which keeps the private parameters of its
 * users between rounds in a locally checkpointed RDD, so that state stays on the executor side and never
 * reaches the driver. Each round the global model and the sampled clients' requests are broadcast; each
 * partition trains its sampled clients one after another, and only their {@link FitResult}s (deltas of
 * global tables) come back.
 *
 * <p>Results are returned in instruction order, whatever the partitioning or the order in which executors
 * finish, and each client draws its randomness from the run's seed split by purpose, round and client id
 * (as {@link org.fedrec.core.InMemoryFleet} does): so the strategy aggregates the same list, in the same
 * order, as in memory, and a run gives bit-for-bit the same models and metrics on either engine. The
 * strategy aggregates on the driver; the updates are not pre-summed in the executors, since float sums
 * depend on their order and strategies such as DP-FedAvg or robust rules need the individual updates.
 *
 * <p>The state of a lost executor is not recovered: its partitions' blocks are gone and the next round
 * fails with Spark's error. Not thread-safe: the round loop calls one method at a time.
 */
public final class SparkFleet implements Fleet {

    private final JavaSparkContext context;
    private final boolean ownsContext;
    private final String key;
    private final Broadcast<SparkPopulation> population;
    private final List<String> clientIds;
    private final Map<String, Integer> partitionOf;
    private final int partitions;
    private final long seed;
    private JavaRDD<PartitionState> states;
    private JavaRDD<PartitionStep> lastStep;
    /** The plan that {@code lastStep}'s task closure refers to; it must stay valid while that RDD is referenced. */
    private Broadcast<RoundPlan> lastPlan;

    /**
     * A fleet on a running Spark context, which the caller keeps and stops.
     *
     * @param context    the Spark context
     * @param population the clients, rebuilt in each executor JVM from this recipe
     * @param random     the run's random source; each client and round gets its own split of it
     * @param partitions partitions the clients are dealt to; 0 means the context's default parallelism
     */
    public SparkFleet(JavaSparkContext context, SparkPopulation population, RandomSource random, int partitions) {
        this(context, false, population, random, partitions);
    }

    private SparkFleet(JavaSparkContext context, boolean ownsContext, SparkPopulation population,
                       RandomSource random, int partitions) {
        this.context = Objects.requireNonNull(context, "context");
        this.ownsContext = ownsContext;
        Objects.requireNonNull(population, "population");
        this.seed = Objects.requireNonNull(random, "random").seed();
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0 (0 = the context's default parallelism), found "
                    + partitions);
        }
        this.partitions = partitions == 0 ? context.defaultParallelism() : partitions;
        this.key = UUID.randomUUID().toString();
        this.clientIds = List.copyOf(ExecutorCache.clients(key, population).clientIds());
        this.partitionOf = new HashMap<>();
        List<List<String>> dealt = new ArrayList<>();
        for (int p = 0; p < this.partitions; p++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < clientIds.size(); i++) {
            String id = clientIds.get(i);
            if (partitionOf.put(id, i % this.partitions) != null) {
                throw new IllegalArgumentException("the population lists client '" + id + "' twice");
            }
            dealt.get(i % this.partitions).add(id);
        }
        this.population = context.broadcast(population);
        this.states = context.parallelize(dealt.stream().map(PartitionState::initial).toList(), this.partitions);
    }

    /**
     * Starts a Spark context on {@code master} ({@code local[*]}, {@code local[2]}, {@code spark://host:7077},
     * ...) and a fleet on it; closing the fleet stops the context. A local master binds to 127.0.0.1 and
     * the web UI is off.
     */
    public static SparkFleet start(String master, SparkPopulation population, RandomSource random, int partitions) {
        JavaSparkContext context = startContext(master);
        try {
            return new SparkFleet(context, true, population, random, partitions);
        } catch (RuntimeException e) {
            context.stop();
            throw e;
        }
    }

    /** A Spark context for fedrec on {@code master}: loopback-bound when local, no web UI, no console progress. */
    public static JavaSparkContext startContext(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("Spark master must be a URL such as local[*] or spark://host:7077, "
                    + "found '" + master + "'");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("fedrec")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    // A partition's updates (tens of MB on ML-100K) then come back with the task's status, in
                    // process, instead of through the block manager and a loopback fetch.
                    .set("spark.rpc.message.maxSize", "1024").set("spark.task.maxDirectResultSize", "1g");
        }
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // Scala code throws SparkException, a checked exception, undeclared
            throw new IllegalArgumentException("cannot start Spark on master '" + master + "': " + e.getMessage(), e);
        }
    }

    /** Partitions the clients are dealt to. */
    public int partitions() {
        return partitions;
    }

    @Override
    public List<String> availableClients() {
        return clientIds;
    }

    @Override
    public Responses<FitResult> fit(int round, List<FitInstruction> instructions) {
        List<Outcome> outcomes = new ArrayList<>();
        RoundPlan.Builder plan = plan(ClientFailure.Phase.FIT, round, instructions, outcomes,
                ins -> new Request(ins.clientId(), ins.global(), ins.config()));
        if (plan.size() > 0) {
            Broadcast<RoundPlan> broadcast = context.broadcast(plan.build());
            JavaRDD<PartitionStep> step = states.mapPartitionsWithIndex(
                    new PartitionTasks.Fit(key, population, broadcast), true);
            // Cut the lineage each round: the step's cached blocks are the partitions' state from now on.
            step.rdd().localCheckpoint();
            try {
                outcomes.addAll(step.flatMap(s -> s.outcomes().iterator()).collect());
            } catch (RuntimeException e) {
                step.unpersist(false);
                broadcast.destroy();
                throw new IllegalStateException("Spark job of round " + round + " (fit, " + plan.size()
                        + " clients) failed: " + e.getMessage(), e);
            }
            // The new step no longer refers to the previous one, so that one and its plan can go.
            releaseLastStep();
            lastStep = step;
            lastPlan = broadcast;
            states = step.map(PartitionStep::state);
        }
        return assemble(instructions.size(), outcomes, FitResult.class);
    }

    @Override
    public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
        List<Outcome> outcomes = new ArrayList<>();
        RoundPlan.Builder plan = plan(ClientFailure.Phase.EVALUATE, round, instructions, outcomes,
                ins -> new Request(ins.clientId(), ins.global(), ins.config()));
        if (plan.size() > 0) {
            Broadcast<RoundPlan> broadcast = context.broadcast(plan.build());
            try {
                outcomes.addAll(states.mapPartitionsWithIndex(
                        new PartitionTasks.Evaluate(key, population, broadcast), true).collect());
            } catch (RuntimeException e) {
                throw new IllegalStateException("Spark job of round " + round + " (evaluate, " + plan.size()
                        + " clients) failed: " + e.getMessage(), e);
            } finally {
                broadcast.destroy();
            }
        }
        return assemble(instructions.size(), outcomes, EvaluateResult.class);
    }

    /** The fields of an instruction the plan needs. */
    private record Request(String clientId, ModelState global, RoundConfig config) {
    }

    /**
     * Each instruction as a request to its client's partition; a client this fleet does not hold gets a
     * failure in {@code outcomes} instead.
     */
    private <I> RoundPlan.Builder plan(ClientFailure.Phase phase, int round, List<I> instructions,
                                       List<Outcome> outcomes, Function<I, Request> request) {
        RoundPlan.Builder plan = new RoundPlan.Builder(phase, round, seed, partitions);
        for (int i = 0; i < instructions.size(); i++) {
            Request r = request.apply(instructions.get(i));
            Integer partition = partitionOf.get(r.clientId());
            if (partition == null) {
                outcomes.add(Outcome.of(i, new ClientFailure(r.clientId(), round, phase, "IllegalArgumentException: no "
                        + "client '" + r.clientId() + "' among the Spark fleet's " + clientIds.size() + " clients")));
            } else {
                plan.add(partition, i, r.clientId(), r.global(), r.config());
            }
        }
        return plan;
    }

    /** Results and failures, each in instruction order. */
    private static <R> Responses<R> assemble(int n, List<Outcome> outcomes, Class<R> type) {
        Object[] byIndex = new Object[n];
        for (Outcome o : outcomes) {
            byIndex[o.index()] = o.value();
        }
        List<R> results = new ArrayList<>(n);
        List<ClientFailure> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object v = byIndex[i];
            if (v instanceof ClientFailure f) {
                failures.add(f);
            } else if (type.isInstance(v)) {
                results.add(type.cast(v));
            } else {
                throw new IllegalStateException("the Spark fleet got no " + type.getSimpleName()
                        + " for instruction " + i + " of " + n + ", found " + v);
            }
        }
        return new Responses<>(results, failures);
    }

    private void releaseLastStep() {
        if (lastStep != null) {
            lastStep.unpersist(false);
            lastPlan.destroy();
            lastStep = null;
            lastPlan = null;
        }
    }

    /** Frees the fleet's cached state and broadcasts; stops the context when {@link #start} made it. */
    @Override
    public void close() {
        try {
            releaseLastStep();
            population.destroy();
            ExecutorCache.remove(key);
        } finally {
            if (ownsContext) {
                context.stop();
            }
        }
    }
}
