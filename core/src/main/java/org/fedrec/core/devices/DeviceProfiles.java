package org.fedrec.core.devices;

import java.util.Objects;
import java.util.SplittableRandom;

import org.fedrec.core.RandomSource;

/**
 * Simulated devices of a cross-device population: each client's compute speed, network bandwidth,
 * availability window and dropout behaviour, drawn from the run's seed and the client id. Nothing is stored
 * per client (a profile is recomputed from the seed when asked), so a million clients cost nothing here.
 *
 * <p>The model, per client {@code c} (all draws from {@code random.split("device", 0, c)}):
 * <ul>
 *   <li><b>speed</b> {@code v_c = examplesPerSecond * exp(speedSpread * z)}, {@code z ~ N(0, 1)}: a
 *       log-normal spread around the median; a task of {@code n} training examples computes for
 *       {@code n / v_c} seconds;</li>
 *   <li><b>bandwidth</b> up and down, each the median times {@code exp(bandwidthSpread * z)}: moving
 *       {@code b} bytes takes {@code b / bandwidth} seconds;</li>
 *   <li><b>availability</b>: periodic, on for the first {@code availableFraction} of every
 *       {@code period} seconds, shifted by a phase {@code phi_c ~ U[0, 1)} (a diurnal pattern with
 *       time zones spread evenly): available at {@code t} iff {@code frac(t / period + phi_c) <
 *       availableFraction}; a fraction of 1 is always available;</li>
 *   <li><b>dropout</b>: each task independently, with probability {@code dropout} (drawn from
 *       {@code random.split("dropout", task, c)}), the device gives up after a uniform fraction of the
 *       download and compute time.</li>
 * </ul>
 * A task starting at {@code t} downloads the model, computes, then uploads its update. It fails if it
 * drops out, or if its download and compute do not end within the availability window open at {@code t}
 * (the device went offline); an upload once begun is delivered. See {@link #plan}.
 */
public final class DeviceProfiles {

    /** The population's distribution of devices. Times in seconds, bandwidths in bytes per second. */
    public record Settings(double examplesPerSecond, double speedSpread, double uplinkBytesPerSecond,
                           double downlinkBytesPerSecond, double bandwidthSpread, double period,
                           double availableFraction, double dropout) {
        public Settings {
            positive("examplesPerSecond", examplesPerSecond);
            positive("uplinkBytesPerSecond", uplinkBytesPerSecond);
            positive("downlinkBytesPerSecond", downlinkBytesPerSecond);
            positive("period", period);
            nonNegative("speedSpread", speedSpread);
            nonNegative("bandwidthSpread", bandwidthSpread);
            if (!(availableFraction > 0 && availableFraction <= 1)) {
                throw new IllegalArgumentException("availableFraction must be in (0, 1], found " + availableFraction);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
            }
        }

        /** Identical, always available, never dropping devices of the given speed and bandwidths. */
        public static Settings uniform(double examplesPerSecond, double uplink, double downlink) {
            return new Settings(examplesPerSecond, 0, uplink, downlink, 0, 86_400, 1, 0);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a positive number, found " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a finite number >= 0, found " + v);
            }
        }
    }

    /** One client's device. */
    public record Profile(double examplesPerSecond, double uplinkBytesPerSecond, double downlinkBytesPerSecond,
                          double phase) {
    }

    /** How a task ends. */
    public enum Outcome { DELIVERED, DROPPED_OUT, WENT_OFFLINE }

    /**
     * A task's schedule before its update is known: {@code computedAt} is when download and compute end (the
     * upload starts); for a failed task {@code endsAt} is when the failure happens, for a delivered one it is
     * {@code computedAt} and the upload time is added by {@link #deliveredAt}.
     */
    public record Plan(Outcome outcome, double startedAt, double computedAt, double endsAt) {
        public boolean delivered() {
            return outcome == Outcome.DELIVERED;
        }

        /** A short description of a failure, for the {@link org.fedrec.core.ClientFailure} message. */
        public String failureMessage() {
            return switch (outcome) {
                case DROPPED_OUT -> String.format(java.util.Locale.ROOT, "dropped out after %.3f s (simulated)",
                        endsAt - startedAt);
                case WENT_OFFLINE -> String.format(java.util.Locale.ROOT,
                        "went offline at %.3f s (simulated), before its %.3f s of download and compute ended",
                        endsAt, computedAt - startedAt);
                case DELIVERED -> "delivered";
            };
        }
    }

    private final Settings settings;
    private final RandomSource random;

    public DeviceProfiles(Settings settings, RandomSource random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Settings settings() {
        return settings;
    }

    /** The device of {@code clientId}; the same for the same seed and id. */
    public Profile profile(String clientId) {
        SplittableRandom rng = random.split("device", 0, clientId).generator();
        double speed = settings.examplesPerSecond() * Math.exp(settings.speedSpread() * gaussian(rng));
        double up = settings.uplinkBytesPerSecond() * Math.exp(settings.bandwidthSpread() * gaussian(rng));
        double down = settings.downlinkBytesPerSecond() * Math.exp(settings.bandwidthSpread() * gaussian(rng));
        return new Profile(speed, up, down, rng.nextDouble());
    }

    /** True if the client's device is available at simulated time {@code t}. */
    public boolean available(String clientId, double t) {
        return available(profile(clientId), t);
    }

    public boolean available(Profile p, double t) {
        return settings.availableFraction() >= 1 || cyclePosition(p, t) < settings.availableFraction();
    }

    /** The end of the availability window open at {@code t} (infinite when always available). */
    public double windowEnd(Profile p, double t) {
        if (settings.availableFraction() >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double pos = cyclePosition(p, t);
        if (pos >= settings.availableFraction()) {
            return t; // closed already
        }
        return t + (settings.availableFraction() - pos) * settings.period();
    }

    /** The earliest time at or after {@code t} at which the device is available. */
    public double nextAvailable(Profile p, double t) {
        if (available(p, t)) {
            return t;
        }
        return t + (1 - cyclePosition(p, t)) * settings.period();
    }

    private double cyclePosition(Profile p, double t) {
        double x = t / settings.period() + p.phase();
        return x - Math.floor(x);
    }

    /**
     * The schedule of task number {@code task} of {@code clientId}, starting at {@code start}: download
     * {@code downloadBytes}, compute {@code examples} training examples; whether it drops out or goes offline
     * before its upload starts.
     */
    public Plan plan(String clientId, long task, double start, long examples, long downloadBytes) {
        Profile p = profile(clientId);
        double computedAt = start + downloadBytes / p.downlinkBytesPerSecond() + examples / p.examplesPerSecond();
        if (settings.dropout() > 0) {
            SplittableRandom rng = random.split("dropout", task, clientId).generator();
            if (rng.nextDouble() < settings.dropout()) {
                double at = start + rng.nextDouble() * (computedAt - start);
                return new Plan(Outcome.DROPPED_OUT, start, computedAt, at);
            }
        }
        double closes = windowEnd(p, start);
        if (computedAt > closes) {
            return new Plan(Outcome.WENT_OFFLINE, start, computedAt, closes);
        }
        return new Plan(Outcome.DELIVERED, start, computedAt, computedAt);
    }

    /** When a delivered task's update of {@code uploadBytes} has arrived. */
    public double deliveredAt(String clientId, Plan plan, long uploadBytes) {
        if (!plan.delivered()) {
            throw new IllegalArgumentException("task of client " + clientId + " was not delivered: " + plan);
        }
        return plan.computedAt() + uploadBytes / profile(clientId).uplinkBytesPerSecond();
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller from two uniforms; the first in (0, 1] so the log is finite.
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
