package org.fedrec.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the clients of a round: a fixed count or a fraction of those available (at least
 * {@code minimum}), uniformly without replacement from the round's random source. The chosen clients keep
 * the population's order, so the same seed gives the same cohort in the same order on every engine.
 */
public record ClientSampler(double fraction, int count, int minimum) {

    public ClientSampler {
        if (count < 0) {
            throw new IllegalArgumentException("clients per round must be >= 0 (0 = use the fraction), found " + count);
        }
        if (count == 0 && !(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("client fraction must be in (0, 1], found " + fraction);
        }
        if (minimum < 1) {
            throw new IllegalArgumentException("minimum clients per round must be >= 1, found " + minimum);
        }
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

    /** How many of {@code available} clients a round takes. */
    public int size(int available) {
        int want = count > 0 ? count : (int) Math.ceil(fraction * available);
        return Math.min(available, Math.max(want, Math.min(minimum, available)));
    }

    public List<String> sample(List<String> available, RandomSource random) {
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
}
