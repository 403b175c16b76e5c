package org.fedrec.models.eval;

import org.fedrec.core.SplitMix64;

/**
 * The random baseline: the score of {@code (user, item)} is a hash of {@code (seed, user, item)}, uniform
 * in {@code [0, 1)} with 24 bits, so every evaluation of the same pair gives the same score and the same
 * metrics, on any thread. Expected HR@K with {@code n} negatives is about {@code K / (n + 1)}.
 *
 * @param seed selects one of the random rankings
 */
public record RandomScorer(long seed) implements Scorer {
    @Override
    public void score(int user, int[] items, int count, float[] out) {
        long key = SplitMix64.streamKey(seed, user);
        for (int i = 0; i < count; i++) {
            out[i] = unit(key, items[i]);
        }
    }

    @Override
    public void scoreAll(int user, int numItems, float[] out) {
        long key = SplitMix64.streamKey(seed, user);
        for (int i = 0; i < numItems; i++) {
            out[i] = unit(key, i);
        }
    }

    private static float unit(long userKey, int item) {
        return (SplitMix64.mix(userKey + item * SplitMix64.GOLDEN_GAMMA) >>> 40) * 0x1.0p-24f;
    }
}
