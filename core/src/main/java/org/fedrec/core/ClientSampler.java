package org.fedrec.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the clients of a round from the round's random source, in one of two modes:
 * <ul>
 *   <li><b>fixed size</b> ({@link #count}, {@link #fraction}): a fixed count or a fraction of those
 *       available (at least {@code minimum}), uniformly without replacement;</li>
 *   <li><b>Poisson</b> ({@link #poisson}): each available client joins independently with probability
 *       {@code fraction}, so the cohort size is Binomial(N, q) and may even be empty. This is the sampling
 *       that the RDP analysis of the subsampled Gaussian assumes (DP-FedAvg's accountant uses q exactly);
 *       {@code count} and {@code minimum} do not apply.</li>
 * </ul>
 * The chosen clients keep the population's order, so the same seed gives the same cohort in the same
 * order on every engine.
 */
public record ClientSampler(double fraction, int count, int minimum, boolean poisson) {

    public ClientSampler {
        if (count < 0) {
            throw new IllegalArgumentException("clients per round must be >= 0 (0 = use the fraction), found " + count);
        }
        if ((count == 0 || poisson) && !(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException((poisson ? "Poisson sampling rate" : "client fraction")
                    + " must be in (0, 1], found " + fraction);
        }
        if (minimum < 1) {
            throw new IllegalArgumentException("minimum clients per round must be >= 1, found " + minimum);
        }
        if (poisson && (count != 0 || minimum != 1)) {
            throw new IllegalArgumentException("Poisson sampling takes only a rate; found clients per round " + count
                    + " and minimum " + minimum);
        }
    }

    /** A fixed-size sampler: {@code count} clients, or else the fraction (at least {@code minimum}). */
    public ClientSampler(double fraction, int count, int minimum) {
        this(fraction, count, minimum, false);
    }

    public static ClientSampler all() {
        return new ClientSampler(1.0, 0, 1);
    }

    public static ClientSampler count(int count) {
        return new ClientSampler(1.0, count, 1);
    }

    public static ClientSampler fraction(double fraction) {
        return new ClientSampler(fraction, 0, 1);
    }

    /** Each client independently with probability {@code rate}, in (0, 1]. */
    public static ClientSampler poisson(double rate) {
        return new ClientSampler(rate, 0, 1, true);
    }

    /**
     * How many of {@code available} clients a fixed-size round takes. A Poisson cohort has no fixed size:
     * use {@link #expectedSize}.
     */
    public int size(int available) {
        if (poisson) {
            throw new IllegalStateException("a Poisson sampler (rate " + fraction
                    + ") has no fixed cohort size; ask for expectedSize");
        }
        int want = count > 0 ? count : (int) Math.ceil(fraction * available);
        return Math.min(available, Math.max(want, Math.min(minimum, available)));
    }

    /** The mean cohort size from {@code available} clients: {@code q·N} for Poisson, else {@link #size}. */
    public double expectedSize(int available) {
        return poisson ? fraction * available : size(available);
    }

    public List<String> sample(List<String> available, RandomSource random) {
        return poisson ? samplePoisson(available, random) : sampleFixed(available, random);
    }

    private List<String> sampleFixed(List<String> available, RandomSource random) {
        int n = available.size();
        int k = size(n);
        if (k == n) {
            return available;
        }
        // Selection sampling (Knuth's algorithm S): one pass, keeps order, k of n uniformly.
        SplittableRandom rng = random.generator();
        List<String> chosen = new ArrayList<>(k);
        int needed = k;
        for (int i = 0; i < n && needed > 0; i++) {
            if (rng.nextInt(n - i) < needed) {
                chosen.add(available.get(i));
                needed--;
            }
        }
        return chosen;
    }

    private List<String> samplePoisson(List<String> available, RandomSource random) {
        if (fraction == 1) {
            return available;
        }
        SplittableRandom rng = random.generator();
        List<String> chosen = new ArrayList<>();
        for (String id : available) {
            if (rng.nextDouble() < fraction) {
                chosen.add(id);
            }
        }
        return chosen;
    }
}
