package org.fedrec.models.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * A non-personalised baseline: one prior score per item (the same for every user), with <b>ties broken
 * at random</b> per user: item {@code i} scores {@code level(i) + 0.5 * r(user, i)}, where {@code level} is
 * the dense rank of the item's prior among the distinct priors (0 = lowest) and {@code r} the seeded hash of
 * {@link RandomScorer}, uniform in {@code [0, 1)}. Items with different priors keep their order; items with
 * equal priors are in a random order that depends only on the seed, the user and the item. This matters on
 * a cold-start split, where every candidate has training popularity 0 and the evaluator's own tie rule
 * (lower item index first) would rank the same arbitrary items first for everyone.
 *
 * <p>Exact while there are fewer than 2^22 distinct priors (floats resolve the half step below that).
 * Immutable and safe to share between threads.
 */
public final class ItemPriorScorer implements Scorer {
    private final float[] levels;
    private final RandomScorer ties;

    private ItemPriorScorer(float[] levels, long seed) {
        this.levels = levels;
        this.ties = new RandomScorer(seed);
    }

    /**
     * Items ranked by {@code prior} (higher first), ties broken at random per user.
     *
     * @throws IllegalArgumentException if there is no item or a prior is NaN
     */
    public static ItemPriorScorer of(double[] prior, long seed) {
        Objects.requireNonNull(prior, "prior");
        if (prior.length == 0) {
            throw new IllegalArgumentException("expected at least one item, found none");
        }
        for (int i = 0; i < prior.length; i++) {
            if (Double.isNaN(prior[i])) {
                throw new IllegalArgumentException("prior of item " + i + " is NaN; expected a number");
            }
        }
        double[] distinct = Arrays.stream(prior).sorted().distinct().toArray();
        float[] levels = new float[prior.length];
        for (int i = 0; i < prior.length; i++) {
            levels[i] = Arrays.binarySearch(distinct, prior[i]);
        }
        return new ItemPriorScorer(levels, seed);
    }

    /** Training popularity: the prior of an item is its number of training interactions. */
    public static ItemPriorScorer popularity(int numItems, int[] trainItems, long seed) {
        return of(counts(numItems, trainItems), seed);
    }

    /**
     * Category popularity, for items without a training history: with {@code pop(i)} the training
     * interactions of item {@code i} and {@code W(c)} the items of category {@code c} with {@code pop > 0},
     * the popularity of a category is an average item's, {@code catPop(c) = mean_{i in W(c)} pop(i)}, and an
     * item's prior is the mean of {@code catPop} over its categories that have a trained item. An item with
     * no such category gets the mean {@code pop} of all trained items.
     *
     * @param trainItems the item column of the training interactions
     * @param categories per item, its category indices (in {@code [0, numCategories)})
     */
    public static ItemPriorScorer categoryPopularity(int numItems, int[] trainItems, int[][] categories, int numCategories,
            long seed) {
        Objects.requireNonNull(categories, "categories");
        if (categories.length != numItems) {
            throw new IllegalArgumentException("expected categories for " + numItems + " items, found " + categories.length);
        }
        double[] pop = counts(numItems, trainItems);
        double[] sum = new double[numCategories];
        int[] trained = new int[numCategories];
        double allSum = 0;
        int allTrained = 0;
        for (int i = 0; i < numItems; i++) {
            for (int c : categories[i]) {
                if (c < 0 || c >= numCategories) {
                    throw new IllegalArgumentException("item " + i + ": expected category indices in [0, " + numCategories
                            + "), found " + c);
                }
                if (pop[i] > 0) {
                    sum[c] += pop[i];
                    trained[c]++;
                }
            }
            if (pop[i] > 0) {
                allSum += pop[i];
                allTrained++;
            }
        }
        double fallback = allTrained == 0 ? 0 : allSum / allTrained;
        double[] prior = new double[numItems];
        for (int i = 0; i < numItems; i++) {
            double s = 0;
            int n = 0;
            for (int c : categories[i]) {
                if (trained[c] > 0) {
                    s += sum[c] / trained[c];
                    n++;
                }
            }
            prior[i] = n == 0 ? fallback : s / n;
        }
        return of(prior, seed);
    }

    /** Training interactions per item, validated as {@link PopularityScorer} does. */
    private static double[] counts(int numItems, int[] items) {
        float[] counts = new float[numItems];
        PopularityScorer.fromItems(numItems, items).scoreAll(0, numItems, counts);
        double[] out = new double[numItems];
        for (int i = 0; i < numItems; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    public int numItems() {
        return levels.length;
    }

    @Override
    public void score(int user, int[] items, int count, float[] out) {
        ties.score(user, items, count, out);
        for (int i = 0; i < count; i++) {
            out[i] = levels[items[i]] + 0.5f * out[i];
        }
    }

    @Override
    public void scoreAll(int user, int numItems, float[] out) {
        if (numItems > levels.length) {
            throw new IllegalArgumentException("expected numItems <= " + levels.length + " (the items this scorer has "
                    + "priors for), found " + numItems);
        }
        ties.scoreAll(user, numItems, out);
        for (int i = 0; i < numItems; i++) {
            out[i] = levels[i] + 0.5f * out[i];
        }
    }
}
