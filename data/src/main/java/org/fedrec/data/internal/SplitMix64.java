package org.fedrec.data.internal;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): a small, fully specified generator, so that every random
 * decision in this module gives the same numbers on every JDK and engine for the same seed.
 */
public final class SplitMix64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** A generator for a named sub-stream: independent of the order in which streams are created. */
  public static SplitMix64 forStream(long seed, long stream) {
    return new SplitMix64(mix(seed ^ mix(stream + GOLDEN)));
  }

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    return mix(state += GOLDEN);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), unbiased. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    int m = bound - 1;
    int r = (int) (nextLong() >>> 33);
    if ((bound & m) == 0) {
      return r & m;
    }
    for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
      // reject the biased top range
    }
    return r;
  }

  /** Standard normal (Box-Muller, one value per call). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (2000), boosted for shape below 1. */
  public double nextGamma(double shape) {
    if (!(shape > 0)) {
      throw new IllegalArgumentException("gamma shape must be positive, got " + shape);
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

  /** Fisher-Yates shuffle of {@code a[from, to)}. */
  public void shuffle(int[] a, int from, int to) {
    for (int i = to - 1; i > from; i--) {
      int j = from + nextInt(i - from + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
