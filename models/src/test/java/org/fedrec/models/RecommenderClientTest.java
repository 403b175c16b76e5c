package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * A client whose local training produced non-finite values refuses to send its update (the fleet reports
 * the exception as the client's failure, naming it), so one diverged client cannot turn the global model
 * into NaN for everybody, and rolls its users' private state back, so it trains again from the next finite
 * model; a healthy client on the same data sends its update.
 */
class RecommenderClientTest {

    private static final int ITEMS = 20;

    private final MatrixFactorization model = new MatrixFactorization(ITEMS, 4, 0.1);
    private final RandomSource random = RandomSource.seeded(3);
    private final ClientData data = ClientData.of(new int[] {0, 1}, new int[][] {{0, 1, 2, 3}, {4, 5, 6}});
    private final TrainSettings settings = TrainSettings.defaults();

    private final PrivateStates states = model.newPrivateStates(2, random);

    private FitResult fit(ModelState global) {
        RecommenderClient client = TestFederation.client("c7", model, data, states, settings);
        return client.fit(new FitInstruction("c7", global, settings.toRoundConfig()),
                new ClientContext(1, random.split("fit", 1, "c7")));
    }

    @Test
    void aFiniteFitSendsItsUpdate() {
        FitResult result = fit(model.initialGlobal(random));
        assertThat(result.metrics().get("loss")).isFinite();
        assertThat(result.metrics().get(RecommenderClient.STEPS)).isEqualTo(7.0 * settings.epochs());
    }

    @Test
    void aFitThatDivergesToNaNIsRefusedWithTheReason() {
        ModelState global = model.initialGlobal(random);
        float[] rows = global.table(MatrixFactorization.ITEM_EMBEDDING).data();
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Float.NaN; // as a diverged round would leave them
        }
        float[] before = states.export(data.users());
        assertThatThrownBy(() -> fit(global))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("local training diverged")
                .hasMessageContaining("mean loss NaN")
                .hasMessageContaining("train.lr");
        assertThat(states.export(data.users())).as("the users' embeddings, rolled back").containsExactly(before);

        FitResult healthy = fit(model.initialGlobal(random));
        assertThat(healthy.metrics().get("loss")).as("the same client, next round, from a finite model").isFinite();
    }
}
