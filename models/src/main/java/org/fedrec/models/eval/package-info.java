/**
 * Offline evaluation of recommenders: pure, deterministic, parallel over users, on primitive arrays.
 *
 * <ul>
 *   <li>A model is seen through a {@link org.fedrec.models.eval.Scorer}: scores for a user's items,
 *       higher = more recommended. Baselines: {@link org.fedrec.models.eval.PopularityScorer},
 *       {@link org.fedrec.models.eval.RandomScorer}.
 *   <li>Leave-one-out with sampled negatives (NCF protocol): {@link org.fedrec.models.eval.SampledCandidates}
 *       built once, {@link org.fedrec.models.eval.SampledRankingEvaluator} for {@code HR@K} and
 *       {@code NDCG@K}.
 *   <li>Full ranking with exclusions: {@link org.fedrec.models.eval.FullRankingEvaluator} for
 *       {@code Recall@K}, {@code NDCG@K} and {@code HitRate@K}.
 *   <li>Click prediction: {@link org.fedrec.models.eval.ClickMetrics} for {@code AUC} and {@code LogLoss}.
 * </ul>
 *
 * <p>Ranking evaluators return {@link org.fedrec.models.eval.MetricSums}: per-metric sums and the number
 * of evaluated users, which a federated client reports and the server merges into user-weighted means.
 * Results do not depend on the number of threads.
 *
 * <pre>{@code
 * SampledCandidates cands = SampledCandidates.build(numItems, interacted, testItemPerUser, 99, seed);
 * SampledRankingEvaluator loo = SampledRankingEvaluator.of(cands, 10);
 * Map<String, Double> m = loo.evaluate(model, 0).means();   // {HR@10=..., NDCG@10=...}
 * }</pre>
 */
package org.fedrec.models.eval;
