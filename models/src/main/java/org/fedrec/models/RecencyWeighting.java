package org.fedrec.models;

/**
 * How much more often local training visits a user's recent interactions than old ones: the pair that is
 * {@code age} interactions older than the user's latest (0 = the latest) is visited
 * {@code 1 + round(boost * 2^(-age / halfLife))} times per epoch.
 *
 * <p>Why: under leave-one-out by time the item to predict is the user's next one, and tastes drift, so the
 * user's recent items say more about it than old ones. Weighting recent pairs up lets the user's vector
 * follow its recent items while every interaction still counts at least once. On ML-100K (leave-one-out,
 * validation-selected) a boost of 8 with a half-life of 5 interactions raises MF-BPR's HR@10 by about three
 * points. It assumes the interactions carry a meaningful order; for data without timestamps or with a
 * random split, use {@link #NONE}.
 *
 * @param boost extra visits of the latest pair; 0 = every pair once
 * @param halfLife the age, in interactions, at which the extra visits halve
 */
public record RecencyWeighting(double boost, double halfLife) {

    /** Every pair once per epoch. */
    public static final RecencyWeighting NONE = new RecencyWeighting(0, 1);

    public RecencyWeighting {
        if (!(boost >= 0) || Double.isInfinite(boost)) {
            throw new IllegalArgumentException("recency boost: expected a finite value >= 0, found " + boost);
        }
        if (!(halfLife > 0) || Double.isInfinite(halfLife)) {
            throw new IllegalArgumentException("recency half-life: expected a finite value > 0, found " + halfLife);
        }
    }

    /** Visits per epoch of the pair {@code age} interactions older than the latest. */
    public int visits(int age) {
        if (age < 0) {
            throw new IllegalArgumentException("age: expected >= 0, found " + age);
        }
        return 1 + (int) Math.round(boost * Math.pow(2, -age / halfLife));
    }
}
