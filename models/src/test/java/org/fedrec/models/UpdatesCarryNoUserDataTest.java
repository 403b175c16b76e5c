package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * What leaves a client is only the change of the global tables: table names of the global model, sparse
 * rows for the items a client touched (its positives and the negatives it sampled), and nothing equal to
 * a user's private embedding, before or after training.
 */
class UpdatesCarryNoUserDataTest {

    private static final int ITEMS = 30;
    private static final int USERS = 8;

    /** {@code PERSONAL}: the hybrid with a personal adapter, private slice {@code [p (7) ; w (8)]}. */
    enum Model { MF, NEUMF, TEXT, HYBRID, PERSONAL }

    private static RecommenderModel build(Model which) {
        switch (which) {
            case MF:
                return new MatrixFactorization(ITEMS, 4, 0.1);
            case NEUMF:
                return new NeuralCollaborativeFiltering(ITEMS, new NeuralCollaborativeFiltering.Architecture(4, 3,
                        List.of(6, 4), 0.1));
            default:
                SplittableRandom rng = new SplittableRandom(11);
                float[] text = new float[ITEMS * 8];
                for (int i = 0; i < text.length; i++) {
                    text[i] = (float) rng.nextGaussian();
                }
                return new TextTwoTower(ITEMS, 8, text, new TextTwoTower.Architecture(4, 2, which == Model.TEXT ? 0 : 3,
                        TextTwoTower.Combine.CONCAT, TextTwoTower.UserTower.BOTH, TextTwoTower.Base.PCA, 0.1,
                        which == Model.PERSONAL), 5);
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void updatesHoldOnlyGlobalTablesAndTouchedRows(Model which) {
        RecommenderModel model = build(which);
        int width = which == Model.MF || which == Model.TEXT ? 4 : which == Model.PERSONAL ? 15 : 7;
        int[][] segments = width == 4 ? new int[][] {{0, 4}}
                : width == 7 ? new int[][] {{0, 4}, {4, 7}, {0, 7}}
                : new int[][] {{0, 4}, {4, 7}, {0, 7}, {7, 15}, {0, 15}};
        RandomSource random = RandomSource.seeded(42);
        PrivateStates states = model.newPrivateStates(USERS, random);
        SplittableRandom rng = new SplittableRandom(3);
        int[][] positives = new int[USERS][];
        for (int u = 0; u < USERS; u++) {
            positives[u] = rng.ints(6, 0, ITEMS).toArray();
        }
        // Cross-device clients of one user and silos of two or three users.
        int[][] clientUsers = {{0}, {1}, {2, 3}, {4, 5, 6}, {7}};
        List<RecommenderClient> clients = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<ClientData> datas = new ArrayList<>();
        for (int c = 0; c < clientUsers.length; c++) {
            int[][] items = new int[clientUsers[c].length][];
            for (int k = 0; k < items.length; k++) {
                items[k] = positives[clientUsers[c][k]];
            }
            ClientData data = ClientData.of(clientUsers[c], items);
            datas.add(data);
            ids.add("client-" + c);
            clients.add(TestFederation.client(ids.get(c), model, data, states, TrainSettings.defaults()));
        }
        TrainSettings s = new TrainSettings(2, 0.05, TrainSettings.Optimizer.ADAM, 3, 1e-3,
                which == Model.NEUMF ? TrainSettings.Loss.BCE : TrainSettings.Loss.BPR, 0.2, 0.1);

        ModelState global = model.initialGlobal(random);
        Map<String, Integer> checked = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            boolean firstRound = round == 0;
            float[] before = states.data().clone();
            ModelState current = global;
            global = TestFederation.round(global, clients, ids, s, round, random, r -> {
                int c = ids.indexOf(r.clientId());
                ClientData data = datas.get(c);
                ModelUpdate update = r.update();
                assertThat(update.deltas().keySet()).isEqualTo(current.tables().keySet());
                update.validateAgainst(current, r.clientId());
                TreeSet<Integer> own = new TreeSet<>();
                for (int lu = 0; lu < data.userCount(); lu++) {
                    for (int i : data.itemsOf(lu)) {
                        own.add(i);
                    }
                }
                long steps = (long) s.epochs() * data.interactionCount();
                update.deltas().forEach((name, d) -> {
                    if (d instanceof TableDelta.SparseRows sparse) {
                        TreeSet<Integer> rows = new TreeSet<>();
                        for (int row : sparse.rows()) {
                            rows.add(row);
                        }
                        assertThat(rows).as("%s rows of %s", name, r.clientId()).containsAll(own);
                        rows.removeAll(own);
                        assertThat((long) rows.size()).as("sampled negative rows of %s", r.clientId())
                                .isLessThanOrEqualTo(steps * s.negatives());
                        assertEveryRowChanged(name, sparse);
                        checked.merge("sparse", 1, Integer::sum);
                    } else {
                        checked.merge("dense", 1, Integer::sum);
                    }
                });
                for (int u = 0; u < USERS; u++) {
                    for (int[] seg : segments) {
                        // A personal adapter starts at 0: before it has trained, its slice is all zeros.
                        boolean untrained = seg[0] == 7 && firstRound;
                        if (!untrained) {
                            assertNoSlice(r, current, before, u * width + seg[0], seg[1] - seg[0]);
                        }
                        assertNoSlice(r, current, states.data(), u * width + seg[0], seg[1] - seg[0]);
                    }
                }
            });
        }
        if (which == Model.PERSONAL) {
            for (int u = 0; u < USERS; u++) {
                float[] w = Arrays.copyOfRange(states.data(), u * width + 7, u * width + 15);
                assertThat(w).as("user %d's personal adapter after training", u).isNotEqualTo(new float[8]);
            }
        }
        int sparseTables = which == Model.TEXT ? 1 : 2;
        assertThat(checked.get("sparse")).isEqualTo(3 * clientUsers.length * sparseTables);
        if (which == Model.NEUMF) {
            assertThat(checked.get("dense")).isEqualTo(3 * clientUsers.length * 6);
        }
        if (which == Model.TEXT || which == Model.HYBRID || which == Model.PERSONAL) {
            assertThat(checked.get("dense")).as("the LoRA adapter A and B").isEqualTo(3 * clientUsers.length * 2);
        }
    }

    @Test
    void theLeakDetectorFindsAPlantedEmbedding() {
        float[] user = {0.25f, -0.5f, 0.125f};
        ModelState global = new ModelState(Map.of("t", FloatTable.zeros(3, 3)));
        FitResult leaky = new FitResult("c", 1, new ModelUpdate(Map.of("t",
                new TableDelta.SparseRows(3, new int[] {1}, user.clone()))), Map.of());
        assertThatThrownBy(() -> assertNoSlice(leaky, global, user, 0, 3)).isInstanceOf(AssertionError.class);
        FitResult dense = new FitResult("c", 1, new ModelUpdate(Map.of("t",
                new TableDelta.Dense(new float[] {9, 0.25f, -0.5f, 0.125f, 0, 0, 0, 0, 0}))), Map.of());
        assertThatThrownBy(() -> assertNoSlice(dense, global, user, 0, 3)).isInstanceOf(AssertionError.class);
    }

    private static void assertEveryRowChanged(String name, TableDelta.SparseRows sparse) {
        for (int j = 0; j < sparse.rows().length; j++) {
            boolean changed = false;
            for (int k = 0; k < sparse.cols(); k++) {
                changed |= sparse.values()[j * sparse.cols() + k] != 0;
            }
            assertThat(changed).as("row %d of %s was sent but not trained", sparse.rows()[j], name).isTrue();
        }
    }

    /**
     * Fails if the private values {@code priv[off .. off+len)} occur as a run in a delta's values, or in
     * the client's local tables (global plus delta) that the delta reveals.
     */
    static void assertNoSlice(FitResult r, ModelState global, float[] priv, int off, int len) {
        r.update().deltas().forEach((name, d) -> {
            float[] values = d instanceof TableDelta.Dense dense ? dense.values() : ((TableDelta.SparseRows) d).values();
            float[] local = values.clone();
            float[] g = global.table(name).data();
            if (d instanceof TableDelta.Dense) {
                for (int i = 0; i < local.length; i++) {
                    local[i] += g[i];
                }
            } else {
                TableDelta.SparseRows sparse = (TableDelta.SparseRows) d;
                for (int j = 0; j < sparse.rows().length; j++) {
                    for (int k = 0; k < sparse.cols(); k++) {
                        local[j * sparse.cols() + k] += g[sparse.rows()[j] * sparse.cols() + k];
                    }
                }
            }
            assertThat(containsRun(values, priv, off, len)).as("%s's delta of '%s' carries a private embedding",
                    r.clientId(), name).isFalse();
            assertThat(containsRun(local, priv, off, len)).as("%s's local '%s' carries a private embedding",
                    r.clientId(), name).isFalse();
        });
    }

    private static boolean containsRun(float[] hay, float[] needle, int off, int len) {
        for (int start = 0; start + len <= hay.length; start++) {
            int k = 0;
            while (k < len && hay[start + k] == needle[off + k]) {
                k++;
            }
            if (k == len) {
                return true;
            }
        }
        return false;
    }
}
