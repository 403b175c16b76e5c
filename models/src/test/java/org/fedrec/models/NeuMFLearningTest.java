package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.models.eval.Scorer;
import org.junit.jupiter.api.Test;

/**
 * NeuMF learns a planted structure under FedAvg: users of two clusters interact with items of their own
 * cluster only, and the trained model ranks each user's held-out in-cluster items above the other
 * cluster's items (pairwise AUC) far better than chance, where the initial model does not.
 */
class NeuMFLearningTest {

    private static final int ITEMS = 40;
    private static final int USERS = 40;
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 15;

    @Test
    void separatesTwoPlantedClusters() {
        SplittableRandom rng = new SplittableRandom(11);
        int[][] train = new int[USERS][];
        int[][] heldOut = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            int base = (u % 2) * (ITEMS / 2);
            int[] perm = shuffled(ITEMS / 2, rng);
            train[u] = new int[10];
            heldOut[u] = new int[3];
            for (int k = 0; k < 10; k++) {
                train[u][k] = base + perm[k];
            }
            for (int k = 0; k < 3; k++) {
                heldOut[u][k] = base + perm[10 + k];
            }
        }
        NeuralCollaborativeFiltering model = new NeuralCollaborativeFiltering(ITEMS,
                new NeuralCollaborativeFiltering.Architecture(8, 8, List.of(16, 8), 0.01));
        RandomSource random = RandomSource.seeded(5);
        PrivateStates states = model.newPrivateStates(USERS, random);
        List<RecommenderClient> clients = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int per = USERS / CLIENTS;
        for (int c = 0; c < CLIENTS; c++) {
            int[] users = new int[per];
            int[][] items = new int[per][];
            for (int k = 0; k < per; k++) {
                users[k] = c * per + k;
                items[k] = train[users[k]];
            }
            ids.add("silo-" + c);
            clients.add(TestFederation.client(ids.get(c), model, ClientData.of(users, items), states,
                    NeuralCollaborativeFiltering.defaultSettings()));
        }
        // Some L2: with enough rounds, private user embeddings memorise each user's items and start pushing
        // the held-out ones (sampled as negatives) down.
        TrainSettings s = new TrainSettings(2, 0.01, TrainSettings.Optimizer.ADAM, 4, 0.01, TrainSettings.Loss.BCE, 1, 0);

        ModelState global = model.initialGlobal(random);
        double before = meanAuc(model.scorer(global, states), heldOut);
        double[] loss = new double[2];
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            global = TestFederation.round(global, clients, ids, s, round, random, res -> {
                if (r == 0 || r == ROUNDS - 1) {
                    loss[r == 0 ? 0 : 1] += res.metrics().get("loss");
                }
            });
        }
        double after = meanAuc(model.scorer(global, states), heldOut);

        assertThat(before).isBetween(0.3, 0.7);
        assertThat(after).as("held-out in-cluster vs out-of-cluster AUC, from %.3f before training", before)
                .isGreaterThan(0.9);
        assertThat(loss[1]).isLessThan(loss[0]);
    }

    /** Mean over users of P(score of a held-out in-cluster item > score of an item of the other cluster). */
    private static double meanAuc(Scorer scorer, int[][] heldOut) {
        int half = ITEMS / 2;
        int[] items = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
        }
        float[] scores = new float[ITEMS];
        double sum = 0;
        for (int u = 0; u < USERS; u++) {
            scorer.score(u, items, ITEMS, scores);
            int otherBase = (1 - u % 2) * half;
            double wins = 0;
            for (int pos : heldOut[u]) {
                for (int j = otherBase; j < otherBase + half; j++) {
                    wins += scores[pos] > scores[j] ? 1 : scores[pos] == scores[j] ? 0.5 : 0;
                }
            }
            sum += wins / (heldOut[u].length * half);
        }
        return sum / USERS;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
