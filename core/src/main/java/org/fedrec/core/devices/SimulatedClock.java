package org.fedrec.core.devices;

import java.time.Instant;

import org.fedrec.core.Clock;

/**
 * Simulated time for device simulations: seconds since the start of the run, moved forward only by the
 * simulation itself ({@link #advanceTo}), never by the wall clock. As a {@link Clock} it reports those
 * seconds as nanoseconds and as an instant after {@code origin}, so it can be injected wherever a clock is
 * expected. Not thread-safe: one simulation loop owns it.
 */
public final class SimulatedClock implements Clock {

    private final Instant origin;
    private double seconds;

    public SimulatedClock() {
        this(Instant.EPOCH);
    }

    public SimulatedClock(Instant origin) {
        this.origin = java.util.Objects.requireNonNull(origin, "origin");
    }

    /** Simulated seconds since the start. */
    public double seconds() {
        return seconds;
    }

    /** Moves the clock to {@code t}; time never runs backwards. */
    public void advanceTo(double t) {
        if (!(t >= seconds) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("simulated time can only move forward: now " + seconds + " s, asked "
                    + t + " s");
        }
        seconds = t;
    }

    /** Moves the clock forward by {@code dt >= 0} seconds. */
    public void advanceBy(double dt) {
        if (!(dt >= 0)) {
            throw new IllegalArgumentException("simulated time step must be >= 0 s, found " + dt);
        }
        advanceTo(seconds + dt);
    }

    @Override
    public long nanoTime() {
        return Math.round(seconds * 1e9);
    }

    @Override
    public Instant now() {
        long whole = (long) Math.floor(seconds);
        return origin.plusSeconds(whole).plusNanos(Math.round((seconds - whole) * 1e9));
    }

    @Override
    public String toString() {
        return "SimulatedClock[" + seconds + " s]";
    }
}
