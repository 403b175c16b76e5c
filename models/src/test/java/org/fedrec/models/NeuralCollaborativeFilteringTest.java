package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class NeuralCollaborativeFilteringTest {

    private static final int ITEMS = 500;

    private final NeuralCollaborativeFiltering model =
            new NeuralCollaborativeFiltering(ITEMS, NeuralCollaborativeFiltering.Architecture.defaults());

    @Test
    void globalTablesHaveTheDocumentedNamesAndShapes() {
        ModelState g = model.initialGlobal(RandomSource.seeded(1));
        assertThat(g.tables().keySet()).containsExactly("gmf_item", "mlp_item", "mlp_w1", "mlp_b1", "mlp_w2",
                "mlp_b2", "mlp_w3", "mlp_b3", "out_w", "out_b");
        assertThat(model.tableNames()).containsExactlyElementsOf(g.tables().keySet());
        assertShape(g.table("gmf_item"), ITEMS, 16);
        assertShape(g.table("mlp_item"), ITEMS, 32);
        assertShape(g.table("mlp_w1"), 64, 64);
        assertShape(g.table("mlp_b1"), 64, 1);
        assertShape(g.table("mlp_w2"), 32, 64);
        assertShape(g.table("mlp_w3"), 16, 32);
        assertShape(g.table("mlp_b3"), 16, 1);
        assertShape(g.table("out_w"), 1, 32);
        assertShape(g.table("out_b"), 1, 1);
        assertThat(model.name()).isEqualTo("neumf");
        assertThat(NeuralCollaborativeFiltering.defaultSettings().loss()).isEqualTo(TrainSettings.Loss.BCE);
    }

    @Test
    void initialisesEmbeddingsGaussianAndLayersHeAndXavierUniform() {
        ModelState g = model.initialGlobal(RandomSource.seeded(2));
        assertThat(std(g.table("gmf_item").data())).isCloseTo(0.01, within(0.0005));
        assertThat(std(g.table("mlp_item").data())).isCloseTo(0.01, within(0.0005));
        assertUniform(g.table("mlp_w1").data(), Math.sqrt(6.0 / 64));
        assertUniform(g.table("mlp_w2").data(), Math.sqrt(6.0 / 64));
        assertUniform(g.table("mlp_w3").data(), Math.sqrt(6.0 / 32));
        assertThat(maxAbs(g.table("out_w").data())).isLessThanOrEqualTo((float) Math.sqrt(6.0 / 33));
        for (String b : List.of("mlp_b1", "mlp_b2", "mlp_b3", "out_b")) {
            assertThat(g.table(b).data()).containsOnly(0f);
        }
        assertThat(model.initialGlobal(RandomSource.seeded(2))).isEqualTo(g);
        assertThat(model.initialGlobal(RandomSource.seeded(3))).isNotEqualTo(g);

        PrivateStates users = model.newPrivateStates(400, RandomSource.seeded(2));
        assertThat(users.width()).isEqualTo(48);
        for (int u = 0; u < 400; u++) {
            users.offset(u);
        }
        assertThat(std(users.data())).isCloseTo(0.01, within(0.0005));
    }

    @Test
    void fitIsDeterministicAndUsesTheRandomGiven() {
        ModelState g = model.initialGlobal(RandomSource.seeded(4));
        ClientData data = ClientData.of(new int[] {0, 1}, new int[][] {{1, 2, 3}, {7, 9}});
        TrainSettings s = NeuralCollaborativeFiltering.defaultSettings();
        var a = model.fit(g, data, model.newPrivateStates(2, RandomSource.seeded(5)), s, new SplittableRandom(6));
        var b = model.fit(g, data, model.newPrivateStates(2, RandomSource.seeded(5)), s, new SplittableRandom(6));
        var c = model.fit(g, data, model.newPrivateStates(2, RandomSource.seeded(5)), s, new SplittableRandom(7));
        assertThat(a.steps()).isEqualTo(5);
        assertThat(a.meanLoss()).isEqualTo(b.meanLoss()).isNotEqualTo(c.meanLoss());
        assertThat(values(a.update().deltas().get("mlp_w2"))).isEqualTo(values(b.update().deltas().get("mlp_w2")));
        assertThat(values(a.update().deltas().get("mlp_w2"))).isNotEqualTo(values(c.update().deltas().get("mlp_w2")));
    }

    @Test
    void aClientWithoutInteractionsSendsAnEmptyChange() {
        ModelState g = model.initialGlobal(RandomSource.seeded(4));
        ClientData none = ClientData.of(new int[] {3}, new int[][] {{}});
        var fit = model.fit(g, none, model.newPrivateStates(4, RandomSource.seeded(1)),
                NeuralCollaborativeFiltering.defaultSettings(), new SplittableRandom(1));
        assertThat(fit.steps()).isZero();
        assertThat(fit.meanLoss()).isZero();
        assertThat(((TableDelta.SparseRows) fit.update().deltas().get("gmf_item")).rows()).isEmpty();
        assertThat(values(fit.update().deltas().get("out_w"))).containsOnly(0f);
    }

    @Test
    void rejectsStatesOfAnotherShapeNamingTheTable() {
        ModelState g = model.initialGlobal(RandomSource.seeded(1));
        ClientData data = ClientData.of(new int[] {0}, new int[][] {{1}});
        PrivateStates users = model.newPrivateStates(1, RandomSource.seeded(1));
        TrainSettings s = NeuralCollaborativeFiltering.defaultSettings();
        assertThatThrownBy(() -> model.fit(g.with("mlp_w2", FloatTable.zeros(32, 63)), data, users, s,
                new SplittableRandom(1))).hasMessageContaining("'mlp_w2' is 32x63").hasMessageContaining("32x64");
        assertThatThrownBy(() -> model.fit(g.with("gmf_item", FloatTable.zeros(ITEMS - 1, 16)), data, users, s,
                new SplittableRandom(1))).hasMessageContaining("'gmf_item' is 499x16");
        ModelState mf = new MatrixFactorization(ITEMS, 8, 0.1).initialGlobal(RandomSource.seeded(1));
        assertThatThrownBy(() -> model.fit(mf, data, users, s, new SplittableRandom(1)))
                .hasMessageContaining("no table 'gmf_item'");
        PrivateStates narrow = new MatrixFactorization(ITEMS, 8, 0.1).newPrivateStates(1, RandomSource.seeded(1));
        assertThatThrownBy(() -> model.fit(g, data, narrow, s, new SplittableRandom(1)))
                .hasMessageContaining("width 8").hasMessageContaining("48");
    }

    @Test
    void validatesTheArchitecture() {
        assertThatThrownBy(() -> new NeuralCollaborativeFiltering.Architecture(0, 4, List.of(), 0.1))
                .hasMessageContaining("gmfDim >= 1");
        assertThatThrownBy(() -> new NeuralCollaborativeFiltering.Architecture(4, 4, List.of(8, 0), 0.1))
                .hasMessageContaining("hidden layer 2 needs >= 1 unit, found 0");
        assertThatThrownBy(() -> new NeuralCollaborativeFiltering.Architecture(4, 4, List.of(8), 0))
                .hasMessageContaining("initStd");
        assertThatThrownBy(() -> new NeuralCollaborativeFiltering(0, NeuralCollaborativeFiltering.Architecture.defaults()))
                .hasMessageContaining("numItems >= 1");
        var noTower = new NeuralCollaborativeFiltering(5, new NeuralCollaborativeFiltering.Architecture(2, 3, List.of(), 0.1));
        assertThat(noTower.tableNames()).containsExactly("gmf_item", "mlp_item", "out_w", "out_b");
        assertShape(noTower.initialGlobal(RandomSource.seeded(1)).table("out_w"), 1, 2 + 6);
    }

    private static float[] values(TableDelta d) {
        return ((TableDelta.Dense) d).values();
    }

    private static void assertShape(FloatTable t, int rows, int cols) {
        assertThat(t.rows()).isEqualTo(rows);
        assertThat(t.cols()).isEqualTo(cols);
    }

    private static void assertUniform(float[] w, double limit) {
        assertThat(maxAbs(w)).isLessThanOrEqualTo((float) limit);
        assertThat(std(w)).isCloseTo(limit / Math.sqrt(3), within(limit * 0.05));
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double std(float[] a) {
        double s = 0;
        double s2 = 0;
        for (float v : a) {
            s += v;
            s2 += (double) v * v;
        }
        double mean = s / a.length;
        return Math.sqrt(s2 / a.length - mean * mean);
    }
}
