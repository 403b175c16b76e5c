package org.fedrec.core;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a
 * 64-bit state advanced by the golden-ratio increment {@link #GOLDEN_GAMMA} and finalised by
 * {@link #mix}. The algorithm and every derived draw are fixed here, not delegated to
 * {@link java.util.SplittableRandom} or {@link java.util.Random}, so that synthetic data, splits,
 * partitions and sampled candidates are a documented function of their seed that any JDK version, engine
 * or language reproduces bit for bit. Not thread-safe.
 *
 * <p>Two stream derivations exist, and they give different streams for the same {@code (seed, stream)}:
 * {@link #forStream} (used by evaluation sampling) and {@link #forXorStream} (used by the data module).
 * Both are kept, because changing either would change numbers that runs and tests pin.
 */
public final class SplitMix64 {
    /** The odd increment {@code 0x9e3779b97f4a7c15}, 2^64 divided by the golden ratio. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The generator for one stream (a user, say) of a seeded run, starting from
     * {@link #streamKey streamKey(seed, stream)}.
     */
    public static SplitMix64 forStream(long seed, long stream) {
        return new SplitMix64(streamKey(seed, stream));
    }

    /** {@code mix(mix(seed) + stream * GOLDEN_GAMMA)}: a well-mixed key for {@code (seed, stream)}. */
    public static long streamKey(long seed, long stream) {
        return mix(mix(seed) + stream * GOLDEN_GAMMA);
    }

    /**
     * The generator for a named sub-stream, starting from {@link #xorStreamKey xorStreamKey(seed, stream)};
     * independent of the order in which streams are created. Not the same stream as {@link #forStream}.
     */
    public static SplitMix64 forXorStream(long seed, long stream) {
        return new SplitMix64(xorStreamKey(seed, stream));
    }

    /** {@code mix(seed ^ mix(stream + GOLDEN_GAMMA))}: the key of {@link #forXorStream}. */
    public static long xorStreamKey(long seed, long stream) {
        return mix(seed ^ mix(stream + GOLDEN_GAMMA));
    }

    /** The SplitMix64 finaliser: Stafford's variant 13 of the MurmurHash3 mix, a bijection on 64-bit values. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** Uniform in {@code [0, 1)}: the top 53 bits of {@link #nextLong()}. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in {@code [0, bound)}, unbiased: rejection sampling on the top 31 bits of {@link #nextLong()};
     * for a power-of-two bound, the low bits of those 31. Used by {@link #shuffle} and
     * {@link #nextDirichlet}.
     */
    public int nextInt(int bound) {
        return nextInt(bound, false);
    }

    /**
     * Uniform in {@code [0, bound)} by exactly the rule of {@link java.util.Random#nextInt(int)} applied to
     * the top 31 bits of {@link #nextLong()}: the same as {@link #nextInt} except that a power-of-two
     * bound takes the high bits of those 31.
     */
    public int nextIntJdkRule(int bound) {
        return nextInt(bound, true);
    }

    private int nextInt(int bound, boolean powerOfTwoHighBits) {
        if (bound <= 0) {
            throw new IllegalArgumentException("expected a positive bound, found " + bound);
        }
        int r = next31();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return powerOfTwoHighBits ? (int) ((bound * (long) r) >> 31) : r & m;
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = next31()) {
            // rejected: u fell into the incomplete last block
        }
        return r;
    }

    private int next31() {
        return (int) (nextLong() >>> 33);
    }

    /** Standard normal (Box-Muller, one value per call, two uniforms consumed). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), boosted for shape below 1. */
    public double nextGamma(double shape) {
        if (!(shape > 0)) {
            throw new IllegalArgumentException("expected a positive gamma shape, found " + shape);
        }
        if (shape < 1) {
            double u = 1.0 - nextDouble();
            return nextGamma(shape + 1) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** Proportions drawn from a symmetric Dirichlet(alpha) over {@code k} components. */
    public double[] nextDirichlet(int k, double alpha) {
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = nextGamma(alpha);
            sum += p[i];
        }
        if (!(sum > 0)) {
            // every draw underflowed (very small alpha): all the mass on one component
            p[nextInt(k)] = 1;
            return p;
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Fisher-Yates shuffle of {@code a[from, to)}, drawing with {@link #nextInt}. */
    public void shuffle(int[] a, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
