package org.fedrec.core;

import java.time.Instant;

/** Time, injected so that tests and simulations control it. */
public interface Clock {

    /** Monotonic time in nanoseconds, for durations. */
    long nanoTime();

    /** Wall-clock time, for timestamps in run records. */
    Instant now();

    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The JVM's clocks. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    }
}
