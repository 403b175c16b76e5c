package org.fedrec.models;

import java.util.SplittableRandom;

import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.models.eval.Scorer;

/**
 * A recommender model family split into a global part (item tables, shared layers: aggregated by the
 * server) and a private part (per-user parameters: kept by the client that holds the user).
 */
public interface RecommenderModel {

    /** Short name used in configs and checkpoints, e.g. {@code mf}. */
    String name();

    int numItems();

    /** The initial global model, from the run's random source. */
    ModelState initialGlobal(RandomSource random);

    /** Storage for the private parameters of {@code numUsers} users, initialised lazily per user. */
    PrivateStates newPrivateStates(int numUsers, RandomSource random);

    /**
     * Trains on one client's data from {@code global}: updates the client's users' private parameters in
     * place and returns the change to the global tables (sparse rows for item tables).
     */
    LocalFit fit(ModelState global, ClientData data, PrivateStates users, TrainSettings settings,
                 SplittableRandom random);

    /** Scores items for users from the global model and the users' private parameters. */
    Scorer scorer(ModelState global, PrivateStates users);

    /**
     * Scores for the users of one client, which may use the client's training data (a model whose user
     * tower pools the user's history scores users it never trained). The default ignores {@code data}.
     */
    default Scorer scorer(ModelState global, PrivateStates users, ClientData data) {
        return scorer(global, users);
    }

    /** The outcome of a local fit: the update, the mean training loss per step, and the steps taken. */
    record LocalFit(ModelUpdate update, double meanLoss, long steps) {
    }
}
