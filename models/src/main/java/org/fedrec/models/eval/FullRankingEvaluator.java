package org.fedrec.models.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import org.fedrec.models.eval.internal.Discounts;
import org.fedrec.models.eval.internal.TopK;

/**
 * Full-ranking evaluation: for each user, every item except the user's excluded items (its training
 * items, and any further exclusion set such as validation items when scoring test) is scored, and the
 * top {@code K} are compared with the user's test items {@code T}. Items are ordered by descending score;
 * <b>equal scores put the lower item index first</b>. Excluded items never appear in the top {@code K}.
 * With {@code rel(p) = 1} if the item at 0-based position {@code p} is in {@code T}, for each cutoff
 * {@code K}:
 *
 * <ul>
 *   <li>{@code Recall@K = (sum_{p<K} rel(p)) / |T|};
 *   <li>{@code NDCG@K = DCG@K / IDCG@K} with {@code DCG@K = sum_{p<K} rel(p) / log2(p + 2)} and the ideal
 *       {@code IDCG@K = sum_{p < min(K, |T|)} 1 / log2(p + 2)};
 *   <li>{@code HitRate@K = 1 if some rel(p) = 1 for p < K, else 0}.
 * </ul>
 *
 * <p>{@code |T|} counts every test item, also one that is excluded (and so can never be retrieved), as in
 * the LightGCN/BARS protocol.
 *
 * <p>{@link Builder#candidates Candidates} restrict the ranking to a subset of the items, the same for
 * every user: only candidates that are not excluded are scored ({@link Scorer#score} with the candidate
 * indices) and ranked. Cold-start evaluation ranks each user's held-out cold items among the cold items
 * only. A test item outside the candidates still counts in {@code |T|}, as an excluded one does. Users without test items are skipped and not counted. Selection is a
 * bounded heap of the largest cutoff, {@code O(numItems log K)} per user. Immutable and safe to share
 * between threads.
 */
public final class FullRankingEvaluator {
    /** The cutoff of the LightGCN/BARS protocol. */
    public static final int DEFAULT_CUTOFF = 20;

    private final int numItems;
    private final UserItems test;
    private final UserItems excluded;
    /** Sorted distinct candidate items, or null for every item. */
    private final int[] candidates;
    private final int[] cutoffs;
    private final List<String> names;
    private final double[] discounts;
    private final double[] idealDcg;

    private FullRankingEvaluator(int numItems, UserItems test, UserItems excluded, int[] candidates, int[] cutoffs) {
        this.numItems = numItems;
        this.test = test;
        this.excluded = excluded;
        this.candidates = candidates;
        this.cutoffs = cutoffs;
        List<String> n = new ArrayList<>();
        for (int k : cutoffs) {
            n.add("Recall@" + k);
            n.add("NDCG@" + k);
            n.add("HitRate@" + k);
        }
        this.names = List.copyOf(n);
        this.discounts = Discounts.of(cutoffs[cutoffs.length - 1]);
        this.idealDcg = Discounts.prefixSums(discounts);
    }

    /** A builder over {@code numItems} items with the given test items per user; it excludes nothing yet. */
    public static Builder builder(int numItems, UserItems test) {
        return new Builder(numItems, test);
    }

    /** The metric names, in the order of {@link MetricSums#names()}: {@code Recall@K, NDCG@K, HitRate@K} per cutoff. */
    public List<String> metricNames() {
        return names;
    }

    /** Evaluates every user that has a test item. */
    public MetricSums evaluate(Scorer scorer, int parallelism) {
        return evaluate(scorer, IntStream.range(0, test.numUsers()).toArray(), parallelism);
    }

    /**
     * Evaluates the given users (a user listed twice counts twice); users without test items are skipped.
     *
     * @param parallelism the number of threads, 0 for one per available core
     */
    public MetricSums evaluate(Scorer scorer, int[] users, int parallelism) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(users, "users");
        return UserEvaluation.run(names, test.numUsers(), users, u -> test.count(u) > 0, parallelism,
                () -> new Worker(scorer));
    }

    /** Builds a {@link FullRankingEvaluator}. */
    public static final class Builder {
        private final int numItems;
        private final UserItems test;
        private final List<UserItems> exclusions = new ArrayList<>();
        private int[] candidates;
        private int[] cutoffs = {DEFAULT_CUTOFF};

        private Builder(int numItems, UserItems test) {
            Objects.requireNonNull(test, "test");
            if (numItems < 1) {
                throw new IllegalArgumentException("expected numItems >= 1, found " + numItems);
            }
            test.requireItemsBelow(numItems, "test items");
            this.numItems = numItems;
            this.test = test;
        }

        /**
         * Never recommends these items to their users (training items; validation items when scoring test).
         * May be called several times; the exclusions add up. Must have as many users as the test items.
         */
        public Builder exclude(UserItems items) {
            Objects.requireNonNull(items, "items");
            items.requireUsers(test.numUsers(), "excluded items (as many users as the test items)");
            items.requireItemsBelow(numItems, "excluded items");
            exclusions.add(items);
            return this;
        }

        /**
         * Ranks only these items (for every user; exclusions still apply), e.g. the cold items of a cold-start
         * split. Order and repeats do not matter. Without this call every item is a candidate.
         *
         * @throws IllegalArgumentException if an item is not in {@code [0, numItems)} or there is none
         */
        public Builder candidates(int... items) {
            Objects.requireNonNull(items, "items");
            int[] sorted = IntStream.of(items).sorted().distinct().toArray();
            if (sorted.length == 0) {
                throw new IllegalArgumentException("expected at least one candidate item, found none");
            }
            if (sorted[0] < 0 || sorted[sorted.length - 1] >= numItems) {
                throw new IllegalArgumentException("candidates: expected item indices in [0, " + numItems + "), found "
                        + (sorted[0] < 0 ? sorted[0] : sorted[sorted.length - 1]));
            }
            candidates = sorted;
            return this;
        }

        /** The cutoffs K, {@value #DEFAULT_CUTOFF} if none; metrics are reported in ascending K. */
        public Builder cutoffs(int... ks) {
            cutoffs = UserEvaluation.cutoffs(ks, DEFAULT_CUTOFF);
            return this;
        }

        public FullRankingEvaluator build() {
            UserItems union = UserItems.union(test.numUsers(), exclusions);
            return new FullRankingEvaluator(numItems, test, union, candidates, cutoffs.clone());
        }
    }

    private final class Worker implements UserEvaluation.Worker {
        private final Scorer scorer;
        private final float[] scores = new float[candidates == null ? numItems : candidates.length];
        private final TopK topK = new TopK(cutoffs[cutoffs.length - 1]);

        Worker(Scorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public void accumulate(int user, double[] sums) {
            int testStart = test.start(user);
            int testEnd = test.end(user);
            if (candidates == null) {
                scorer.scoreAll(user, numItems, scores);
                selectTop(user);
            } else {
                scorer.score(user, candidates, candidates.length, scores);
                selectTopCandidates(user);
            }
            int found = topK.sortBestFirst();
            int[] testItems = test.itemArray();
            int relevant = testEnd - testStart;
            int hits = 0;
            double dcg = 0;
            int p = 0;
            for (int c = 0; c < cutoffs.length; c++) {
                int k = cutoffs[c];
                for (int end = Math.min(k, found); p < end; p++) {
                    if (Arrays.binarySearch(testItems, testStart, testEnd, topK.item(p)) >= 0) {
                        hits++;
                        dcg += discounts[p];
                    }
                }
                sums[3 * c] += (double) hits / relevant;
                sums[3 * c + 1] += dcg / idealDcg[Math.min(k, relevant)];
                sums[3 * c + 2] += hits > 0 ? 1 : 0;
            }
        }

        /** Offers every non-excluded item, walking the sorted exclusions alongside. */
        private void selectTop(int user) {
            topK.clear();
            int[] ex = excluded.itemArray();
            int e = excluded.start(user);
            int exEnd = excluded.end(user);
            int item = 0;
            while (item < numItems) {
                int stop = e < exEnd ? ex[e++] : numItems;
                for (; item < stop; item++) {
                    float s = scores[item];
                    if (s != s) {
                        throw UserEvaluation.nanScore(user, item);
                    }
                    topK.offer(item, s);
                }
                item = stop + 1;
            }
        }

        /** Offers every non-excluded candidate ({@code scores[c]} is the score of {@code candidates[c]}). */
        private void selectTopCandidates(int user) {
            topK.clear();
            int[] ex = excluded.itemArray();
            int e = excluded.start(user);
            int exEnd = excluded.end(user);
            for (int c = 0; c < candidates.length; c++) {
                int item = candidates[c];
                while (e < exEnd && ex[e] < item) {
                    e++;
                }
                if (e < exEnd && ex[e] == item) {
                    continue;
                }
                float s = scores[c];
                if (s != s) {
                    throw UserEvaluation.nanScore(user, item);
                }
                topK.offer(item, s);
            }
        }
    }
}
