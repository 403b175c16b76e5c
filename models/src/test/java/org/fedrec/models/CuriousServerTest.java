package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fedrec.core.CleartextSum;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.SecureRowSumFedAvg;
import org.junit.jupiter.api.Test;

/**
 * The curious server of {@link CuriousServer} against each way of hiding the items a user touched, on a
 * generated shop: 120 one-user clients, 300 items of skewed popularity in 4 taste clusters, 20 positives
 * per user. The federation trains for a few rounds; then the server attacks one round's updates.
 * Without hiding it finds each user's positives almost perfectly; dense rows still give them away by
 * their direction; padding hides them among fakes (well under BPR, little under BCE); with secure row
 * totals it cannot attribute an item to one member of the cohort better than to any other.
 */
class CuriousServerTest {

    private static final int ITEMS = 300;
    private static final int USERS = 120;
    private static final int POSITIVES = 20;
    private static final int ROUNDS = 5;

    /** The attacker's mean scores over the last round's clients. */
    record Attack(double auc, double precision) {
    }

    @Test
    void withoutHidingTheServerFindsThePositives() {
        Attack mf = attack(mf(), TrainSettings.ItemHiding.NONE, 0);
        Attack neumf = attack(neumf(), TrainSettings.ItemHiding.NONE, 0);
        System.out.printf("curious server, no hiding: MF AUC %.3f precision %.3f; NeuMF AUC %.3f precision %.3f%n",
                mf.auc(), mf.precision(), neumf.auc(), neumf.precision());
        assertThat(mf.auc()).isGreaterThanOrEqualTo(0.95);
        assertThat(mf.precision()).isGreaterThanOrEqualTo(0.9);
        assertThat(neumf.auc()).isGreaterThanOrEqualTo(0.95);
        assertThat(neumf.precision()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void denseRowsHidePresenceButNotDirection() {
        List<FitResult> round = new ArrayList<>();
        Attack dense = attack(mf(), TrainSettings.ItemHiding.DENSE, 0, round);
        System.out.printf("curious server, dense: MF AUC %.3f precision %.3f%n", dense.auc(), dense.precision());
        for (FitResult r : round) {
            TableDelta.Dense q = (TableDelta.Dense) r.update().deltas().get(MatrixFactorization.ITEM_EMBEDDING);
            int zeroRows = 0;
            for (int i = 0; i < ITEMS; i++) {
                boolean zero = true;
                for (int c = 0; c < 8; c++) {
                    zero &= q.values()[i * 8 + c] == 0;
                }
                zeroRows += zero ? 1 : 0;
            }
            assertThat(zeroRows).as("all-zero rows of %s would mark untouched items", r.clientId()).isZero();
        }
        // What the javadoc of ItemHiding.DENSE says: the directions still give the positives away.
        assertThat(dense.auc()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void paddingHidesThePositivesAmongFakes() {
        Attack none = attack(mf(), TrainSettings.ItemHiding.NONE, 0);
        Attack mf = attack(mf(), TrainSettings.ItemHiding.PADDING, 2);
        Attack neumf = attack(neumf(), TrainSettings.ItemHiding.PADDING, 2);
        System.out.printf("curious server, padding ratio 2: MF AUC %.3f precision %.3f; NeuMF AUC %.3f precision %.3f%n",
                mf.auc(), mf.precision(), neumf.auc(), neumf.precision());
        // BPR's virtual label is a pairwise preference, about 1/2 for a random fake: about one fake in two
        // looks like a positive, so about 1 / (1 + 2/2) of the guess is right.
        assertThat(mf.precision()).isLessThan(none.precision() - 0.3);
        // BCE's virtual label is the model's probability of an interaction, small for a random item once
        // the model has learnt that most items are not interacted with: few fakes look like positives.
        // The documented weakness of padding under BCE; the attacker still does worse than without padding.
        assertThat(neumf.precision()).isLessThan(none.precision());
    }

    /**
     * The attacker scores items for each member of the cohort from what it saw, then the scores are checked
     * against that member's positives (right) and against the other members' (wrong). From per-client
     * updates the gap is large; from secure row totals there is none, as the view is the same for all.
     */
    @Test
    void secureRowTotalsLeaveNoPerUserSignal() {
        List<FitResult> round = new ArrayList<>();
        Fixture f = new Fixture(mf());
        ModelState global = f.train(TrainSettings.ItemHiding.NONE, 0, round);
        CuriousServer server = new CuriousServer(global, ITEMS);
        SecureRowSumFedAvg.CohortTotals totals = SecureRowSumFedAvg.totals(ROUNDS, global, round, new CleartextSum());

        double[] perClient = attribution(f, round, r -> server.scoreUpdate(r));
        double[] secure = attribution(f, round, r -> server.scoreTotals(totals));
        System.out.printf("attribution AUC right vs wrong user: per-client updates %.3f vs %.3f; secure totals %.3f vs %.3f%n",
                perClient[0], perClient[1], secure[0], secure[1]);
        assertThat(perClient[0] - perClient[1]).as("the check detects a per-user leak").isGreaterThan(0.2);
        assertThat(Math.abs(secure[0] - secure[1])).isLessThan(0.01);
        assertThat(secure[0]).as("totals still show the cohort's popular items").isGreaterThan(0.5);
    }

    /** Mean AUC of each client's scores on its own positives, and on the other clients' positives. */
    private static double[] attribution(Fixture f, List<FitResult> round,
                                        java.util.function.Function<FitResult, double[]> scores) {
        double right = 0;
        double wrong = 0;
        for (FitResult r : round) {
            int user = Integer.parseInt(r.clientId().substring("user-".length()));
            double[] s = scores.apply(r);
            right += CuriousServer.auc(s, f.positives[user]);
            double others = 0;
            for (FitResult o : round) {
                if (o != r) {
                    others += CuriousServer.auc(s, f.positives[Integer.parseInt(o.clientId().substring("user-".length()))]);
                }
            }
            wrong += others / (round.size() - 1);
        }
        return new double[] {right / round.size(), wrong / round.size()};
    }

    private static Attack attack(RecommenderModel model, TrainSettings.ItemHiding hiding, double ratio) {
        return attack(model, hiding, ratio, new ArrayList<>());
    }

    private static Attack attack(RecommenderModel model, TrainSettings.ItemHiding hiding, double ratio,
                                 List<FitResult> round) {
        Fixture f = new Fixture(model);
        ModelState global = f.train(hiding, ratio, round);
        CuriousServer server = new CuriousServer(global, ITEMS);
        double auc = 0;
        double precision = 0;
        for (FitResult r : round) {
            int user = Integer.parseInt(r.clientId().substring("user-".length()));
            double[] scores = server.scoreUpdate(r);
            auc += CuriousServer.auc(scores, f.positives[user]);
            precision += CuriousServer.precisionOfGuess(scores, f.positives[user]);
        }
        return new Attack(auc / round.size(), precision / round.size());
    }

    private static RecommenderModel mf() {
        return new MatrixFactorization(ITEMS, 8, 0.1);
    }

    private static RecommenderModel neumf() {
        return new NeuralCollaborativeFiltering(ITEMS, new NeuralCollaborativeFiltering.Architecture(8, 8,
                List.of(16, 8), 0.01));
    }

    /** The generated shop and its one-user clients. */
    private static final class Fixture {
        final RecommenderModel model;
        final int[][] positives = new int[USERS][];

        Fixture(RecommenderModel model) {
            this.model = model;
            SplittableRandom rng = new SplittableRandom(7);
            int cluster = ITEMS / 4;
            for (int u = 0; u < USERS; u++) {
                java.util.TreeSet<Integer> items = new java.util.TreeSet<>();
                while (items.size() < POSITIVES) {
                    // Popularity ~ 1/rank within the user's cluster (80%) or anywhere (20%).
                    boolean own = rng.nextDouble() < 0.8;
                    int base = own ? (u % 4) * cluster : 0;
                    int span = own ? cluster : ITEMS;
                    int rank = (int) Math.floor(Math.pow(span, rng.nextDouble())) - 1;
                    items.add((base + rank) % ITEMS);
                }
                positives[u] = items.stream().mapToInt(Integer::intValue).toArray();
            }
        }

        /** Trains ROUNDS FedAvg rounds; {@code lastRound} receives the results of the last. */
        ModelState train(TrainSettings.ItemHiding hiding, double ratio, List<FitResult> lastRound) {
            boolean neumf = model instanceof NeuralCollaborativeFiltering;
            TrainSettings s = neumf
                    ? new TrainSettings(1, 0.01, TrainSettings.Optimizer.ADAM, 4, 0.0, TrainSettings.Loss.BCE, 1, 0, 1,
                    hiding, ratio)
                    : new TrainSettings(1, 0.05, TrainSettings.Optimizer.SGD, 4, 0.01, TrainSettings.Loss.BPR, 1, 0, 1,
                    hiding, ratio);
            RandomSource random = RandomSource.seeded(3);
            PrivateStates states = model.newPrivateStates(USERS, random);
            List<RecommenderClient> clients = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                ids.add("user-" + u);
                clients.add(TestFederation.client(ids.get(u), model, ClientData.of(new int[] {u},
                        new int[][] {positives[u]}), states, s));
            }
            ModelState global = model.initialGlobal(random);
            for (int round = 1; round <= ROUNDS; round++) {
                ModelState before = global;
                List<FitResult> results = new ArrayList<>();
                global = TestFederation.round(global, clients, ids, s, round, random, results::add);
                if (round == ROUNDS) {
                    lastRound.addAll(results);
                    return before;
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }
}
