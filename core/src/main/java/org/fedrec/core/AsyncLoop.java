package org.fedrec.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

import org.fedrec.core.devices.DeviceProfiles;
import org.fedrec.core.devices.SimulatedClock;
import org.fedrec.core.devices.SimulatedDevicesFleet;
import org.fedrec.core.strategy.FedBuff;

/**
 * Asynchronous buffered federated training (FedBuff, Nguyen et al., AISTATS 2022, Algorithm 1) as an
 * event-driven loop over simulated time; the synchronous counterpart is {@link RoundLoop}.
 *
 * <p>{@code concurrency} clients train at once. Whenever a slot is free (at the start, and each time a task
 * ends) a client is drawn uniformly from those whose device is available and which are not already training
 * (by rejection from a seeded stream; if none is found the slot is retried {@code retrySeconds} later). It
 * starts from the server version current at that moment; its timing comes from {@link DeviceProfiles#plan}.
 * Results are taken in simulated-time order; a delivered one joins the buffer with staleness
 * {@code s = v_now - v_start}; once {@code bufferSize} (K) are buffered, the server applies
 * {@link FedBuff#bufferedDelta} through its {@link ServerStep} (plain {@code theta + eta * Delta} or a
 * server optimiser) and the version advances. A failed task (dropped out, went offline, or the client threw)
 * only frees its slot.
 *
 * <p>Clients really train, on the {@link Fleet}, in batches: a task's training is deferred until its
 * compute could end before every event already known, and then every deferred task is trained in one
 * {@link Fleet#fit} request (so the in-memory fleet runs them in parallel). Which tasks form a batch
 * depends only on the simulated schedule, and each batch's results come back in instruction order, so a run
 * is the same for a seed whatever the thread count or timing. A client's private state is therefore
 * updated when its task trains, which may be before its upload ends in simulated time; an evaluation in
 * between sees it.
 *
 * <p>Evaluation runs on the strategy's evaluation hooks after every {@code evaluateEvery} server versions
 * (and after the last), takes no simulated time, and produces one {@link RoundRecord} whose
 * {@code round} is the server version and whose training metrics cover the versions since the previous
 * record (example-weighted client metrics, {@code fit_clients}, {@code fit_failures}, {@code dropped_out},
 * {@code went_offline}, {@code uplink_bytes}, {@code staleness_mean}, {@code staleness_max} and
 * {@link SimulatedDevicesFleet#SIM_TIME}). Early stopping works as in {@link RoundLoop}, counted in
 * evaluations.
 */
public final class AsyncLoop {

    /** Moves the global model by a buffer's mean delta. */
    @FunctionalInterface
    public interface ServerStep {
        ModelState apply(ModelState global, ModelUpdate meanDelta);
    }

    /**
     * @param concurrency        clients training at once (C); capped at the population
     * @param bufferSize         results per server update (K)
     * @param stalenessExponent  a in {@code w(s) = (1 + s)^-a}
     * @param retrySeconds       simulated wait before a free slot looks again for an available client
     */
    public record Settings(int concurrency, int bufferSize, double stalenessExponent, double retrySeconds) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, found " + concurrency);
            }
            if (bufferSize < 1) {
                throw new IllegalArgumentException("buffer size K must be >= 1, found " + bufferSize);
            }
            FedBuff.stalenessWeight(0, stalenessExponent); // validates the exponent
            if (!(retrySeconds > 0) || Double.isInfinite(retrySeconds)) {
                throw new IllegalArgumentException("retry interval must be a positive number of seconds, found "
                        + retrySeconds);
            }
        }
    }

    private static final int PICK_TRIES = 64;

    private final Strategy strategy;
    private final RoundConfig fitConfig;
    private final ServerStep serverStep;
    private final Fleet fleet;
    private final DeviceProfiles devices;
    private final SimulatedClock clock;
    private final Clock wallClock;
    private final ToLongFunction<String> examplesOf;
    private final RandomSource random;
    private final Settings settings;
    private final int versions;
    private final int evaluateEvery;
    private final StoppingRule stopping;
    private final List<RunListener> listeners;
    private volatile boolean stopRequested;

    private AsyncLoop(Builder b) {
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.fitConfig = Objects.requireNonNull(b.fitConfig, "fitConfig");
        this.serverStep = Objects.requireNonNull(b.serverStep, "serverStep");
        this.fleet = Objects.requireNonNull(b.fleet, "fleet");
        this.devices = Objects.requireNonNull(b.devices, "devices");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.wallClock = Objects.requireNonNull(b.wallClock, "wallClock");
        this.examplesOf = Objects.requireNonNull(b.examplesOf, "examplesOf");
        this.random = Objects.requireNonNull(b.random, "random");
        this.settings = Objects.requireNonNull(b.settings, "settings");
        if (b.versions < 1) {
            throw new IllegalArgumentException("server versions must be >= 1, found " + b.versions);
        }
        if (b.evaluateEvery < 0) {
            throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = only the last version), found "
                    + b.evaluateEvery);
        }
        this.versions = b.versions;
        this.evaluateEvery = b.evaluateEvery;
        this.stopping = b.stopping;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Asks the loop to finish after the event under way. Safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    private enum Kind { RETRY, FAILED, DELIVERED }

    /** A client's task: which client, from which version and model, and its planned schedule. */
    private record Task(long number, int client, String clientId, int version, ModelState model,
                        DeviceProfiles.Plan plan) {
    }

    private record Event(double time, long seq, Kind kind, Task task, FitResult result, String failure) {
    }

    public RunResult run(ModelState initial) {
        long wallStart = wallClock.nanoTime();
        listeners.forEach(l -> l.onRunStart(versions, initial));
        List<String> population = fleet.population();
        int n = population.size();
        if (n == 0) {
            throw new IllegalStateException("asynchronous training needs clients; the fleet has none");
        }
        int concurrency = Math.min(settings.concurrency(), n);
        BitSet busy = new BitSet(n);
        PriorityQueue<Event> events = new PriorityQueue<>(
                Comparator.comparingDouble(Event::time).thenComparingLong(Event::seq));
        List<Task> deferred = new ArrayList<>();
        SplittableRandom picker = random.split("async-pick").generator();
        long taskCount = 0;
        long eventCount = 0;
        int batches = 0;
        int inFlight = 0;
        boolean retryQueued = false;
        int version = 0;
        ModelState global = initial;
        List<FedBuff.Buffered> buffer = new ArrayList<>(settings.bufferSize());
        Window window = new Window();
        long windowWall = wallClock.nanoTime();
        EarlyStopping selection = new EarlyStopping(stopping, initial);
        List<RoundRecord> history = new ArrayList<>();
        RunResult.Ending ending = RunResult.Ending.COMPLETED;
        while (version < versions) {
            if (stopRequested) {
                ending = RunResult.Ending.INTERRUPTED;
                break;
            }
            double now = clock.seconds();
            while (inFlight < concurrency) {
                int c = pick(picker, population, busy, now);
                if (c < 0) {
                    if (!retryQueued) {
                        events.add(new Event(now + settings.retrySeconds(), eventCount++, Kind.RETRY, null, null, null));
                        retryQueued = true;
                    }
                    break;
                }
                String id = population.get(c);
                long number = taskCount++;
                DeviceProfiles.Plan plan = devices.plan(id, number, now, examplesOf.applyAsLong(id),
                        4L * global.parameterCount());
                busy.set(c);
                inFlight++;
                Task task = new Task(number, c, id, version, global, plan);
                if (plan.delivered()) {
                    deferred.add(task);
                } else {
                    events.add(new Event(plan.endsAt(), eventCount++, Kind.FAILED, task, null, plan.failureMessage()));
                }
            }
            double nextKnown = events.isEmpty() ? Double.POSITIVE_INFINITY : events.peek().time();
            if (!deferred.isEmpty() && earliestCompute(deferred) <= nextKnown) {
                for (Event e : train(deferred, ++batches)) {
                    events.add(new Event(e.time(), eventCount++, e.kind(), e.task(), e.result(), e.failure()));
                }
                deferred.clear();
            }
            Event event = events.poll();
            clock.advanceTo(event.time());
            if (event.kind() == Kind.RETRY) {
                retryQueued = false;
                continue;
            }
            busy.clear(event.task().client());
            inFlight--;
            if (event.kind() == Kind.FAILED) {
                window.failed(event.task().plan().outcome());
                continue;
            }
            long staleness = version - event.task().version();
            buffer.add(new FedBuff.Buffered(event.result(), staleness));
            window.delivered(event.result(), staleness);
            if (buffer.size() < settings.bufferSize()) {
                continue;
            }
            global = serverStep.apply(global, FedBuff.bufferedDelta(global, buffer, settings.stalenessExponent()));
            buffer.clear();
            version++;
            if (!(version == versions || (evaluateEvery > 0 && version % evaluateEvery == 0))) {
                continue;
            }
            long t1 = wallClock.nanoTime();
            List<EvaluateInstruction> evalIns = strategy.configureEvaluate(version, global, population,
                    random.split("sample-evaluate", version));
            Responses<EvaluateResult> evalRes = fleet.evaluate(version, evalIns);
            Map<String, Double> evalMetrics = strategy.aggregateEvaluate(version, evalRes.results(),
                    evalRes.failures());
            long t2 = wallClock.nanoTime();
            RoundRecord record = new RoundRecord(version, window.metrics(clock.seconds()), evalMetrics,
                    t1 - windowWall, t2 - t1);
            window = new Window();
            windowWall = t2;
            history.add(record);
            for (RunListener l : listeners) {
                l.onRoundEnd(record, global);
            }
            if (selection.offer(record, global, evalMetrics, evalRes.failures().size()) && version < versions) {
                ending = RunResult.Ending.EARLY_STOPPED;
                break;
            }
        }
        RunResult result = new RunResult(global, selection.best(), selection.bestRecord(), history, ending,
                wallClock.nanoTime() - wallStart);
        listeners.forEach(l -> l.onRunEnd(result));
        return result;
    }

    /**
     * A uniformly drawn client that is idle and available at {@code t}: by rejection, then (rarely, when few
     * are eligible) the first eligible one from a random start; -1 if there is none.
     */
    private int pick(SplittableRandom rng, List<String> population, BitSet busy, double t) {
        int n = population.size();
        for (int i = 0; i < PICK_TRIES; i++) {
            int c = rng.nextInt(n);
            if (!busy.get(c) && devices.available(population.get(c), t)) {
                return c;
            }
        }
        int start = rng.nextInt(n);
        for (int k = 0; k < n; k++) {
            int c = (start + k) % n;
            if (!busy.get(c) && devices.available(population.get(c), t)) {
                return c;
            }
        }
        return -1;
    }

    private static double earliestCompute(List<Task> tasks) {
        double min = Double.POSITIVE_INFINITY;
        for (Task t : tasks) {
            min = Math.min(min, t.plan().computedAt());
        }
        return min;
    }

    /** Trains the tasks in one fleet request; returns their delivery (or failure) events, unsequenced. */
    private List<Event> train(List<Task> tasks, int batch) {
        List<FitInstruction> instructions = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            instructions.add(new FitInstruction(t.clientId(), t.model(), fitConfig.with("round", t.version())));
        }
        Responses<FitResult> responses = fleet.fit(batch, instructions);
        Map<String, FitResult> byClient = new HashMap<>();
        for (FitResult r : responses.results()) {
            byClient.put(r.clientId(), r);
        }
        Map<String, String> failures = new HashMap<>();
        for (ClientFailure f : responses.failures()) {
            failures.put(f.clientId(), f.message());
        }
        List<Event> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            FitResult r = byClient.get(t.clientId());
            if (r != null) {
                double at = devices.deliveredAt(t.clientId(), t.plan(), r.update().wireBytes());
                out.add(new Event(at, 0, Kind.DELIVERED, t, r, null));
            } else {
                String why = failures.getOrDefault(t.clientId(), "the fleet returned no result");
                out.add(new Event(t.plan().computedAt(), 0, Kind.FAILED, t, null, why));
            }
        }
        return out;
    }

    /** Training metrics accumulated between two records. */
    private static final class Window {
        private final Map<String, double[]> sums = new LinkedHashMap<>();
        private long delivered;
        private long failed;
        private long droppedOut;
        private long wentOffline;
        private double uplinkBytes;
        private double stalenessSum;
        private long stalenessMax;

        void delivered(FitResult r, long staleness) {
            delivered++;
            uplinkBytes += r.update().wireBytes();
            stalenessSum += staleness;
            stalenessMax = Math.max(stalenessMax, staleness);
            double w = r.numExamples();
            if (w > 0) {
                r.metrics().forEach((k, v) -> {
                    double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                    s[0] += w * v;
                    s[1] += w;
                });
            }
        }

        void failed(DeviceProfiles.Outcome outcome) {
            failed++;
            if (outcome == DeviceProfiles.Outcome.DROPPED_OUT) {
                droppedOut++;
            } else if (outcome == DeviceProfiles.Outcome.WENT_OFFLINE) {
                wentOffline++;
            }
        }

        Map<String, Double> metrics(double simTime) {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            out.put("fit_clients", (double) delivered);
            out.put("fit_failures", (double) failed);
            out.put("dropped_out", (double) droppedOut);
            out.put("went_offline", (double) wentOffline);
            out.put("uplink_bytes", uplinkBytes);
            out.put("staleness_mean", delivered == 0 ? 0.0 : stalenessSum / delivered);
            out.put("staleness_max", (double) stalenessMax);
            out.put(SimulatedDevicesFleet.SIM_TIME, simTime);
            return out;
        }
    }

    /** Builds an {@link AsyncLoop}; every setting but the stopping rule and listeners is required. */
    public static final class Builder {
        private Strategy strategy;
        private RoundConfig fitConfig = RoundConfig.EMPTY;
        private ServerStep serverStep;
        private Fleet fleet;
        private DeviceProfiles devices;
        private SimulatedClock clock;
        private Clock wallClock = Clock.system();
        private ToLongFunction<String> examplesOf;
        private RandomSource random = RandomSource.seeded(0);
        private Settings settings;
        private int versions;
        private int evaluateEvery = 1;
        private StoppingRule stopping;
        private final List<RunListener> listeners = new ArrayList<>();

        /** For the evaluation hooks ({@link Strategy#configureEvaluate}, {@link Strategy#aggregateEvaluate}). */
        public Builder strategy(Strategy s) {
            this.strategy = s;
            return this;
        }

        /** What every training client is told (the key {@code round} is set to its start version). */
        public Builder fitConfig(RoundConfig c) {
            this.fitConfig = c;
            return this;
        }

        public Builder serverStep(ServerStep s) {
            this.serverStep = s;
            return this;
        }

        public Builder fleet(Fleet f) {
            this.fleet = f;
            return this;
        }

        public Builder devices(DeviceProfiles d) {
            this.devices = d;
            return this;
        }

        public Builder clock(SimulatedClock c) {
            this.clock = c;
            return this;
        }

        /** Measures the wall time of training and evaluation for the records (never the schedule). */
        public Builder wallClock(Clock c) {
            this.wallClock = c;
            return this;
        }

        /** Training examples of a client's task, for its simulated compute time. */
        public Builder examplesOf(ToLongFunction<String> f) {
            this.examplesOf = f;
            return this;
        }

        public Builder random(RandomSource r) {
            this.random = r;
            return this;
        }

        public Builder settings(Settings s) {
            this.settings = s;
            return this;
        }

        /** Server versions to produce (at most; early stopping may end sooner). */
        public Builder versions(int n) {
            this.versions = n;
            return this;
        }

        /** Evaluate every n versions (and after the last); 0 evaluates only after the last. */
        public Builder evaluateEvery(int n) {
            this.evaluateEvery = n;
            return this;
        }

        public Builder stopping(StoppingRule rule) {
            this.stopping = rule;
            return this;
        }

        public Builder listener(RunListener l) {
            this.listeners.add(Objects.requireNonNull(l));
            return this;
        }

        public AsyncLoop build() {
            return new AsyncLoop(this);
        }
    }
}
