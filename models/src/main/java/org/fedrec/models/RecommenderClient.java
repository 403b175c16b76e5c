package org.fedrec.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.Client;
import org.fedrec.core.ClientContext;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.models.eval.Scorer;

/**
 * A federated recommender client: trains a {@link RecommenderModel} on its users' interactions and
 * evaluates it on their held-out items. Its users' private parameters live in {@link PrivateStates} and
 * never enter a {@link FitResult}; only deltas of the model's global tables do.
 */
public final class RecommenderClient implements Client {

    /** Fit metric: training steps (pair visits, over all local epochs) this client took. */
    public static final String STEPS = "steps";

    /** Evaluates a scorer for some users; returns metric means over the users it could evaluate. */
    @FunctionalInterface
    public interface UserEvaluator {
        Evaluation evaluate(Scorer scorer, int[] users);
    }

    /** Metric means over {@code users} evaluated users. */
    public record Evaluation(long users, Map<String, Double> means) {
    }

    private final String id;
    private final RecommenderModel model;
    private final ClientData data;
    private final PrivateStates states;
    private final TrainSettings defaults;
    private final UserEvaluator evaluator;

    public RecommenderClient(String id, RecommenderModel model, ClientData data, PrivateStates states,
                             TrainSettings defaults, UserEvaluator evaluator) {
        this.id = Objects.requireNonNull(id);
        this.model = Objects.requireNonNull(model);
        this.data = Objects.requireNonNull(data);
        this.states = Objects.requireNonNull(states);
        this.defaults = Objects.requireNonNull(defaults);
        this.evaluator = Objects.requireNonNull(evaluator);
    }

    @Override
    public FitResult fit(FitInstruction instruction, ClientContext context) {
        TrainSettings settings = TrainSettings.from(instruction.config(), defaults);
        float[] privateBefore = states.export(data.users());
        RecommenderModel.LocalFit fit = model.fit(instruction.global(), data, states, settings,
                context.random().generator());
        if (fit.steps() > 0 && !Double.isFinite(fit.meanLoss())) {
            // Non-finite parameters: sending them would poison the global model for every client, and keeping
            // them would leave this client's users unscorable in every later round.
            states.restore(data.users(), privateBefore);
            throw new IllegalStateException("local training diverged: mean loss " + fit.meanLoss() + " over "
                    + fit.steps() + " steps; the update is not sent and the users' private state is rolled back "
                    + "(try a lower train.lr or strategy.server_lr)");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", fit.meanLoss());
        metrics.put(STEPS, (double) fit.steps());
        return new FitResult(id, data.interactionCount(), fit.update(), metrics);
    }

    @Override
    public EvaluateResult evaluate(EvaluateInstruction instruction, ClientContext context) {
        Evaluation e = evaluator.evaluate(model.scorer(instruction.global(), states, data), data.users());
        return new EvaluateResult(id, e.users(), e.means());
    }
}
