package org.fedrec.models.eval;

import java.util.Objects;

/**
 * The most-popular baseline: every user gets the same scores, each item's number of training
 * interactions. Immutable and safe to share between threads.
 */
public final class PopularityScorer implements Scorer {
    private final float[] counts;

    private PopularityScorer(float[] counts) {
        this.counts = counts;
    }

    /**
     * Counts the occurrences of each item in {@code items}, the item column of the training interactions
     * (one entry per interaction).
     */
    public static PopularityScorer fromItems(int numItems, int[] items) {
        Objects.requireNonNull(items, "items");
        if (numItems < 1) {
            throw new IllegalArgumentException("expected numItems >= 1, found " + numItems);
        }
        float[] counts = new float[numItems];
        for (int i = 0; i < items.length; i++) {
            int item = items[i];
            if (item < 0 || item >= numItems) {
                throw new IllegalArgumentException("items[" + i + "]: expected an item index in [0, " + numItems
                        + "), found " + item);
            }
            counts[item]++;
        }
        return new PopularityScorer(counts);
    }

    public int numItems() {
        return counts.length;
    }

    @Override
    public void score(int user, int[] items, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = counts[items[i]];
        }
    }

    @Override
    public void scoreAll(int user, int numItems, float[] out) {
        if (numItems > counts.length) {
            throw new IllegalArgumentException("expected numItems <= " + counts.length
                    + " (the items this scorer counted), found " + numItems);
        }
        System.arraycopy(counts, 0, out, 0, numItems);
    }
}
