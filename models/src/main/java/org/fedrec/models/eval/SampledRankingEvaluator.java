package org.fedrec.models.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fedrec.models.eval.internal.Discounts;

/**
 * Leave-one-out evaluation with sampled negatives (He et al., "Neural Collaborative Filtering", WWW 2017):
 * each user's held-out test item is ranked against the user's sampled negatives of a
 * {@link SampledCandidates}. With {@code s} the scores and {@code t} the test item, the 0-based rank is
 *
 * <pre>{@code r = #{ negatives j : s(j) >= s(t) }}</pre>
 *
 * <p>so <b>ties count against the model</b>: a negative scored equal to the test item ranks above it. A
 * constant scorer therefore gets HR 0 rather than 1, and a model cannot gain by collapsing its scores.
 * (Counting only {@code s(j) > s(t)}, as some reference scripts do, agrees on real-valued scores, where
 * ties do not occur.) For each cutoff {@code K}:
 *
 * <ul>
 *   <li>{@code HR@K} (hit ratio) {@code = 1 if r < K, else 0};
 *   <li>{@code NDCG@K} {@code = 1 / log2(r + 2) if r < K, else 0} (one relevant item, so the ideal DCG is 1).
 * </ul>
 *
 * <p>Both are averaged over the evaluated users; users without a test item are skipped and not counted.
 * Immutable and safe to share between threads.
 */
public final class SampledRankingEvaluator {
    /** The cutoff of the NCF protocol. */
    public static final int DEFAULT_CUTOFF = 10;

    private final SampledCandidates candidates;
    private final int[] cutoffs;
    private final List<String> names;
    private final double[] discounts;

    private SampledRankingEvaluator(SampledCandidates candidates, int[] cutoffs) {
        this.candidates = candidates;
        this.cutoffs = cutoffs;
        List<String> n = new ArrayList<>();
        for (int k : cutoffs) {
            n.add("HR@" + k);
            n.add("NDCG@" + k);
        }
        this.names = List.copyOf(n);
        this.discounts = Discounts.of(cutoffs[cutoffs.length - 1]);
    }

    /**
     * An evaluator over {@code candidates} for the given cutoffs, {@value #DEFAULT_CUTOFF} if none; the
     * metrics are {@code HR@K, NDCG@K} for each cutoff in ascending order.
     */
    public static SampledRankingEvaluator of(SampledCandidates candidates, int... cutoffs) {
        Objects.requireNonNull(candidates, "candidates");
        return new SampledRankingEvaluator(candidates, UserEvaluation.cutoffs(cutoffs, DEFAULT_CUTOFF));
    }

    public SampledCandidates candidates() {
        return candidates;
    }

    /** The metric names, in the order of {@link MetricSums#names()}: {@code HR@K, NDCG@K} per cutoff. */
    public List<String> metricNames() {
        return names;
    }

    /** Evaluates every user that has a test item. */
    public MetricSums evaluate(Scorer scorer, int parallelism) {
        return evaluate(scorer, candidates.testUsers(), parallelism);
    }

    /**
     * Evaluates the given users (a user listed twice counts twice); users without a test item are skipped.
     *
     * @param parallelism the number of threads, 0 for one per available core
     */
    public MetricSums evaluate(Scorer scorer, int[] users, int parallelism) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(users, "users");
        return UserEvaluation.run(names, candidates.numUsers(), users, candidates::hasTestItem, parallelism,
                () -> new Worker(scorer));
    }

    /**
     * The 0-based rank of {@code scores[0]} among {@code scores[0 .. count)}: how many of the others are
     * greater or equal.
     */
    static int rank(float[] scores, int count) {
        float target = scores[0];
        int r = 0;
        for (int j = 1; j < count; j++) {
            if (scores[j] >= target) {
                r++;
            }
        }
        return r;
    }

    private final class Worker implements UserEvaluation.Worker {
        private final Scorer scorer;
        private final int width = candidates.negatives() + 1;
        private final int[] items = new int[width];
        private final float[] scores = new float[width];

        Worker(Scorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public void accumulate(int user, double[] sums) {
            System.arraycopy(candidates.rowArray(), candidates.rowStart(user), items, 0, width);
            scorer.score(user, items, width, scores);
            for (int j = 0; j < width; j++) {
                if (Float.isNaN(scores[j])) {
                    throw UserEvaluation.nanScore(user, items[j]);
                }
            }
            int r = rank(scores, width);
            for (int c = 0; c < cutoffs.length; c++) {
                if (r < cutoffs[c]) {
                    sums[2 * c] += 1;
                    sums[2 * c + 1] += discounts[r];
                }
            }
        }
    }
}
