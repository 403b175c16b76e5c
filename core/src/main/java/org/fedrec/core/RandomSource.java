package org.fedrec.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.fedrec.core.SplitMix64.GOLDEN_GAMMA;
import static org.fedrec.core.SplitMix64.mix;

/**
 * A seeded source of randomness that splits deterministically: {@code split("fit", round, clientId)}
 * always gives the same stream for the same run seed, whichever thread, engine or order asks. There is no
 * global random in fedrec; every random choice descends from the run's seed through this class.
 */
public final class RandomSource {

    private final long seed;

    private RandomSource(long seed) {
        this.seed = seed;
    }

    public static RandomSource seeded(long seed) {
        return new RandomSource(seed);
    }

    public long seed() {
        return seed;
    }

    /** A child source for a named purpose, e.g. {@code split("sample", round)}. */
    public RandomSource split(String purpose, long... keys) {
        long h = mix(seed ^ GOLDEN_GAMMA);
        h = mix(h ^ hash(purpose));
        for (long k : keys) {
            h = mix(h + GOLDEN_GAMMA * (k + 1));
        }
        return new RandomSource(h);
    }

    /** A child source for a purpose, a round and a client. */
    public RandomSource split(String purpose, long round, String clientId) {
        return split(purpose, round, hash(clientId));
    }

    /** A fresh generator positioned at the start of this source's stream. */
    public SplittableRandom generator() {
        return new SplittableRandom(seed);
    }

    private static long hash(String s) {
        long h = 0xcbf29ce484222325L; // FNV-1a, then mixed
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    @Override
    public String toString() {
        return "RandomSource[" + Long.toHexString(seed) + "]";
    }
}
