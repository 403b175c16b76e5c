package org.fedrec.core.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.ClientSampler;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitAccumulator;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.Strategy;

/**
 * Federated averaging weighted by example counts (McMahan et al., AISTATS 2017):
 * {@code theta' = theta + eta_s * sum_k n_k Delta_k / sum_k n_k}, with the server learning rate
 * {@code eta_s = 1} giving plain FedAvg. Sparse row deltas are averaged per row over the clients that sent
 * the row (see {@link Aggregation}).
 *
 * <p>Subclasses change only how the mean delta moves the model ({@link #serverStep}) or what clients are
 * told ({@link #fitConfig}). Failures are accepted by default: the round aggregates the results it has,
 * and a round with no results keeps the model. Aggregation always {@linkplain #streamingFit streams}: the
 * round keeps per-row sums, not the updates, and the list path folds the same way.
 */
public class FedAvg implements Strategy {

    /** What every FedAvg-family strategy is configured with. */
    public record Settings(ClientSampler fitSampler, ClientSampler evaluateSampler, RoundConfig fitConfig,
                           RoundConfig evaluateConfig, double serverLearningRate, boolean acceptFailures) {
        public Settings {
            Objects.requireNonNull(fitSampler, "fitSampler");
            Objects.requireNonNull(evaluateSampler, "evaluateSampler");
            Objects.requireNonNull(fitConfig, "fitConfig");
            Objects.requireNonNull(evaluateConfig, "evaluateConfig");
            if (!(serverLearningRate > 0) || Double.isInfinite(serverLearningRate)) {
                throw new IllegalArgumentException("server learning rate must be a positive number, found "
                        + serverLearningRate);
            }
        }

        public static Settings defaults() {
            return new Settings(ClientSampler.all(), ClientSampler.all(), RoundConfig.EMPTY, RoundConfig.EMPTY, 1.0,
                    true);
        }

        public Settings withFitSampler(ClientSampler s) {
            return new Settings(s, evaluateSampler, fitConfig, evaluateConfig, serverLearningRate, acceptFailures);
        }

        public Settings withFitConfig(RoundConfig c) {
            return new Settings(fitSampler, evaluateSampler, c, evaluateConfig, serverLearningRate, acceptFailures);
        }

        public Settings withServerLearningRate(double lr) {
            return new Settings(fitSampler, evaluateSampler, fitConfig, evaluateConfig, lr, acceptFailures);
        }
    }

    protected final Settings settings;

    public FedAvg(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        RoundConfig config = fitConfig(round).with("round", round);
        List<FitInstruction> out = new ArrayList<>();
        for (String id : settings.fitSampler().sample(available, random)) {
            out.add(new FitInstruction(id, global, config));
        }
        return out;
    }

    /** The settings sent to each training client; subclasses add their own keys. */
    protected RoundConfig fitConfig(int round) {
        return settings.fitConfig();
    }

    /** Folds the results, in order, as {@link #streamingFit} would; final so that both paths agree. */
    @Override
    public final Aggregate aggregateFit(int round, ModelState global, List<FitResult> results,
                                        List<ClientFailure> failures) {
        FitAccumulator fold = new Fold(global);
        results.forEach(fold::add);
        failures.forEach(fold::addFailure);
        return fold.finish();
    }

    /**
     * Always offered: the mean delta and the metrics are running sums ({@link Aggregation.MeanDelta},
     * {@link Aggregation.FitMetrics}); {@link #serverStep} runs once, in {@link FitAccumulator#finish()}.
     */
    @Override
    public final Optional<FitAccumulator> streamingFit(int round, ModelState global) {
        return Optional.of(new Fold(global));
    }

    /** One round's aggregation: no results, or a failure when failures are refused, keep the model. */
    private final class Fold implements FitAccumulator {
        private final ModelState global;
        private final Aggregation.MeanDelta mean;
        private final Aggregation.FitMetrics metrics = new Aggregation.FitMetrics();
        private boolean failed;

        Fold(ModelState global) {
            this.global = global;
            this.mean = new Aggregation.MeanDelta(global);
        }

        @Override
        public void add(FitResult result) {
            mean.add(result);
            metrics.add(result);
        }

        @Override
        public void addFailure(ClientFailure failure) {
            metrics.addFailure();
            failed = true;
        }

        @Override
        public Aggregate finish() {
            Map<String, Double> m = metrics.finish();
            if (metrics.clients() == 0 || (failed && !settings.acceptFailures())) {
                return new Aggregate(global, m);
            }
            return new Aggregate(serverStep(global, mean.finish()), m);
        }
    }

    /**
     * Moves the model by a mean delta computed elsewhere, with this strategy's server optimiser: for
     * decorators that form their own mean (DP-FedAvg noises it) but keep the server step, which is then
     * post-processing of their output.
     */
    public final ModelState applyServerStep(ModelState global, ModelUpdate meanDelta) {
        return serverStep(global, meanDelta);
    }

    /** Moves the model by the clients' mean delta (the pseudo-gradient's negative). */
    protected ModelState serverStep(ModelState global, ModelUpdate meanDelta) {
        return Aggregation.applyDelta(global, meanDelta, settings.serverLearningRate());
    }

    @Override
    public List<EvaluateInstruction> configureEvaluate(int round, ModelState global, List<String> available,
                                                       RandomSource random) {
        RoundConfig config = settings.evaluateConfig().with("round", round);
        List<EvaluateInstruction> out = new ArrayList<>();
        for (String id : settings.evaluateSampler().sample(available, random)) {
            out.add(new EvaluateInstruction(id, global, config));
        }
        return out;
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvaluateResult> results,
                                                 List<ClientFailure> failures) {
        Map<String, Double> metrics = new LinkedHashMap<>(
                Aggregation.weightedMetricMeans(results, EvaluateResult::numExamples, EvaluateResult::metrics));
        metrics.put("evaluate_failures", (double) failures.size());
        return metrics;
    }
}
