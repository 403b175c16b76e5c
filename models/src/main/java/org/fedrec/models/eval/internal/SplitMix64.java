package org.fedrec.models.eval.internal;

/**
 * SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a 64-bit state advanced by the golden-ratio
 * increment and finalised by {@link #mix64}. The algorithm is fixed here, not delegated to
 * {@link java.util.SplittableRandom}, so that sampled candidates are a documented function of their
 * inputs that any JDK version, or another language, reproduces bit for bit. Not thread-safe.
 */
public final class SplitMix64 {
    /** The odd increment {@code 0x9e3779b97f4a7c15}, 2^64 divided by the golden ratio. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The generator for one stream (a user, say) of a seeded run: its initial state is
     * {@code mix64(mix64(seed) + stream * GOLDEN_GAMMA)}, a function of {@code (seed, stream)} alone.
     */
    public static SplitMix64 forStream(long seed, long stream) {
        return new SplitMix64(streamKey(seed, stream));
    }

    /** {@code mix64(mix64(seed) + stream * GOLDEN_GAMMA)}: a well-mixed key for {@code (seed, stream)}. */
    public static long streamKey(long seed, long stream) {
        return mix64(mix64(seed) + stream * GOLDEN_GAMMA);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, a bijection on 64-bit values. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        return mix64(state += GOLDEN_GAMMA);
    }

    /**
     * A uniform value in {@code [0, bound)}, by the rejection method of {@link java.util.Random#nextInt(int)}
     * applied to the top 31 bits of {@link #nextLong()}.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("expected a positive bound, found " + bound);
        }
        int r = next31();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = next31()) {
            // rejected: u fell into the incomplete last block
        }
        return r;
    }

    private int next31() {
        return (int) (nextLong() >>> 33);
    }
}
