package org.fedrec.engine.spark.internal;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.IntStream;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.fedrec.core.Client;
import org.fedrec.core.ClientContext;
import org.fedrec.core.ClientFactory;
import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.RandomSource;
import org.fedrec.engine.spark.SparkPopulation;
import org.fedrec.models.PrivateStates;

/**
 * The code that runs inside executors: for one partition, restore its users' private state, run the
 * partition's requested clients one after another in request order, and return their outcomes (and,
 * after training, the partition's new private state). A client's randomness is split from the run's seed
 * by purpose, round and client id exactly as {@code InMemoryFleet} splits it, so a client computes the same
 * result whichever engine, executor or partition runs it.
 */
public final class PartitionTasks {

    private PartitionTasks() {
    }

    /**
     * What every partition task does first: take the partition's state and requests, build (or reuse) the
     * population in this JVM and restore the partition's users' private parameters.
     */
    private abstract static class Task<R> implements Function2<Integer, Iterator<PartitionState>, Iterator<R>> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final String key;
        private final Broadcast<SparkPopulation> population;
        private final Broadcast<RoundPlan> plan;

        Task(String key, Broadcast<SparkPopulation> population, Broadcast<RoundPlan> plan) {
            this.key = key;
            this.population = population;
            this.plan = plan;
        }

        @Override
        public final Iterator<R> call(Integer partition, Iterator<PartitionState> it) {
            PartitionState state = single(it, partition);
            RoundPlan p = plan.value();
            List<RoundPlan.Request> requests = p.requests(partition);
            if (requests.isEmpty()) {
                return idle(state);
            }
            SparkPopulation.Clients clients = ExecutorCache.clients(key, population);
            PrivateStates states = state.restoreInto(clients.newPrivateStates());
            return run(state, p, requests, clients, states);
        }

        /** The output of a partition none of whose clients was requested. */
        abstract Iterator<R> idle(PartitionState state);

        abstract Iterator<R> run(PartitionState state, RoundPlan plan, List<RoundPlan.Request> requests,
                                 SparkPopulation.Clients clients, PrivateStates states);
    }

    /** Trains a partition's requested clients; the partition's state moves on to a new {@link PartitionStep}. */
    public static final class Fit extends Task<PartitionStep> {

        @Serial
        private static final long serialVersionUID = 1L;

        public Fit(String key, Broadcast<SparkPopulation> population, Broadcast<RoundPlan> plan) {
            super(key, population, plan);
        }

        @Override
        Iterator<PartitionStep> idle(PartitionState state) {
            return List.of(new PartitionStep(state, List.of())).iterator();
        }

        @Override
        Iterator<PartitionStep> run(PartitionState state, RoundPlan plan, List<RoundPlan.Request> requests,
                                    SparkPopulation.Clients clients, PrivateStates states) {
            List<Outcome> outcomes = PartitionTasks.run(plan, requests, clients.factory(states), (client, r, ctx) ->
                    client.fit(new FitInstruction(r.clientId(), plan.global(r), plan.config(r)), ctx));
            // Every requested client may have moved its users, failed or not (as in a shared in-memory store).
            int[] touched = requests.stream().flatMapToInt(r -> IntStream.of(clients.usersOf(r.clientId())))
                    .toArray();
            return List.of(new PartitionStep(state.after(states, touched), outcomes)).iterator();
        }
    }

    /** Evaluates a partition's requested clients; their private state is read, not kept. */
    public static final class Evaluate extends Task<Outcome> {

        @Serial
        private static final long serialVersionUID = 1L;

        public Evaluate(String key, Broadcast<SparkPopulation> population, Broadcast<RoundPlan> plan) {
            super(key, population, plan);
        }

        @Override
        Iterator<Outcome> idle(PartitionState state) {
            return List.<Outcome>of().iterator();
        }

        @Override
        Iterator<Outcome> run(PartitionState state, RoundPlan plan, List<RoundPlan.Request> requests,
                              SparkPopulation.Clients clients, PrivateStates states) {
            return PartitionTasks.run(plan, requests, clients.factory(states), (client, r, ctx) -> client.evaluate(
                    new EvaluateInstruction(r.clientId(), plan.global(r), plan.config(r)), ctx)).iterator();
        }
    }

    @FunctionalInterface
    private interface Call {
        Object apply(Client client, RoundPlan.Request request, ClientContext context);
    }

    private static List<Outcome> run(RoundPlan plan, List<RoundPlan.Request> requests, ClientFactory factory,
                                     Call call) {
        RandomSource random = RandomSource.seeded(plan.seed());
        String purpose = plan.phase() == ClientFailure.Phase.FIT ? "fit" : "evaluate";
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        for (RoundPlan.Request r : requests) {
            try {
                ClientContext ctx = new ClientContext(plan.round(), random.split(purpose, plan.round(), r.clientId()));
                Client client = Objects.requireNonNull(factory.create(r.clientId()), "factory returned null");
                outcomes.add(Outcome.of(r.index(), Objects.requireNonNull(call.apply(client, r, ctx),
                        "client returned null")));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.of(r.index(), ClientFailure.of(r.clientId(), plan.round(), plan.phase(), e)));
            }
        }
        return outcomes;
    }

    private static PartitionState single(Iterator<PartitionState> it, int partition) {
        if (!it.hasNext()) {
            throw new NoSuchElementException("partition " + partition + " of the Spark fleet holds no state");
        }
        PartitionState state = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + partition + " of the Spark fleet holds more than one state");
        }
        return state;
    }
}
