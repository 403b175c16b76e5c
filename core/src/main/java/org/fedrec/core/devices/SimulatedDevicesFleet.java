package org.fedrec.core.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.Fleet;
import org.fedrec.core.Responses;

/**
 * Synchronous rounds on simulated devices: a {@link Fleet} decorator that applies {@link DeviceProfiles}
 * to every fit request and moves a {@link SimulatedClock} by the round's simulated duration.
 *
 * <p>The rule, for a round starting at simulated time {@code t}:
 * <ul>
 *   <li>only clients whose device is available at {@code t} can be sampled ({@link #availableClients()});</li>
 *   <li>each sampled client's task is planned by {@link DeviceProfiles#plan} (task key: the round); one that
 *       drops out or goes offline is not trained and comes back as a {@link ClientFailure}, detected when it
 *       happens (the connection is lost), so the server does not wait for it;</li>
 *   <li>with a {@code deadline} &gt; 0, a client whose update would arrive after {@code t + deadline} is a
 *       failure too (one that cannot even finish computing in time is not trained), and the round lasts until
 *       the deadline;</li>
 *   <li>otherwise the round lasts until the last delivered update (or the last failure) arrives: its
 *       duration is the slowest finishing client's download + compute + upload.</li>
 * </ul>
 * Evaluation takes no simulated time. Each fit's metrics: {@code sim_time} (simulated seconds at the end of
 * the round), {@code sim_round_seconds}, and the counts {@code dropped_out}, {@code went_offline},
 * {@code missed_deadline}.
 */
public final class SimulatedDevicesFleet implements Fleet {

    /** Metric: simulated seconds since the start of the run, at the end of the round. */
    public static final String SIM_TIME = "sim_time";

    private final Fleet inner;
    private final DeviceProfiles devices;
    private final SimulatedClock clock;
    private final ToLongFunction<String> examplesOf;
    private final double deadline;

    /**
     * @param examplesOf training examples a client's task computes (its compute time is that over its speed)
     * @param deadline   seconds a round waits at most; 0 = no deadline
     */
    public SimulatedDevicesFleet(Fleet inner, DeviceProfiles devices, SimulatedClock clock,
                                 ToLongFunction<String> examplesOf, double deadline) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.examplesOf = Objects.requireNonNull(examplesOf, "examplesOf");
        if (!(deadline >= 0) || Double.isInfinite(deadline)) {
            throw new IllegalArgumentException("round deadline must be >= 0 seconds (0 = none), found " + deadline);
        }
        this.deadline = deadline;
    }

    public SimulatedClock clock() {
        return clock;
    }

    /** The clients whose devices are available now, in the inner fleet's order. */
    @Override
    public List<String> availableClients() {
        double t = clock.seconds();
        List<String> out = new ArrayList<>();
        for (String id : inner.availableClients()) {
            if (devices.available(id, t)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public List<String> population() {
        return inner.population();
    }

    @Override
    public Responses<FitResult> fit(int round, List<FitInstruction> instructions) {
        double start = clock.seconds();
        double cutoff = deadline > 0 ? start + deadline : Double.POSITIVE_INFINITY;
        List<FitInstruction> sent = new ArrayList<>();
        List<DeviceProfiles.Plan> plans = new ArrayList<>();
        List<ClientFailure> failures = new ArrayList<>();
        double end = start;
        int dropped = 0;
        int offline = 0;
        int late = 0;
        for (FitInstruction ins : instructions) {
            long download = ins.wireBytes();
            DeviceProfiles.Plan plan = devices.plan(ins.clientId(), round, start, examplesOf.applyAsLong(ins.clientId()),
                    download);
            if (!plan.delivered()) {
                failures.add(new ClientFailure(ins.clientId(), round, ClientFailure.Phase.FIT, plan.failureMessage()));
                end = Math.max(end, Math.min(plan.endsAt(), cutoff));
                if (plan.outcome() == DeviceProfiles.Outcome.DROPPED_OUT) {
                    dropped++;
                } else {
                    offline++;
                }
            } else if (plan.computedAt() > cutoff) {
                failures.add(missedDeadline(ins.clientId(), round));
                late++;
                end = cutoff;
            } else {
                sent.add(ins);
                plans.add(plan);
            }
        }
        Responses<FitResult> inner = this.inner.fit(round, sent);
        List<FitResult> results = new ArrayList<>();
        int p = 0;
        for (FitResult r : inner.results()) {
            // Results come in instruction order; skip the plans of clients the inner fleet reported as failed.
            while (!sent.get(p).clientId().equals(r.clientId())) {
                p++;
            }
            double arrives = devices.deliveredAt(r.clientId(), plans.get(p), r.update().wireBytes());
            p++;
            if (arrives > cutoff) {
                failures.add(missedDeadline(r.clientId(), round));
                late++;
                end = cutoff;
            } else {
                results.add(r);
                end = Math.max(end, arrives);
            }
        }
        failures.addAll(inner.failures());
        clock.advanceTo(end);
        Map<String, Double> metrics = new LinkedHashMap<>(inner.metrics());
        metrics.put(SIM_TIME, clock.seconds());
        metrics.put("sim_round_seconds", end - start);
        metrics.put("dropped_out", (double) dropped);
        metrics.put("went_offline", (double) offline);
        metrics.put("missed_deadline", (double) late);
        return new Responses<>(results, failures, metrics);
    }

    private ClientFailure missedDeadline(String clientId, int round) {
        return new ClientFailure(clientId, round, ClientFailure.Phase.FIT,
                "missed the round deadline of " + deadline + " s (simulated)");
    }

    @Override
    public Responses<EvaluateResult> evaluate(int round, List<EvaluateInstruction> instructions) {
        return inner.evaluate(round, instructions);
    }

    @Override
    public void close() {
        inner.close();
    }
}
