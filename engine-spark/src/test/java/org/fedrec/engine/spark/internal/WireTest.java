package org.fedrec.engine.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

/** What crosses between driver and executors survives Java serialization exactly. */
class WireTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void fitResultWithSparseAndDenseDeltasRoundTrips() throws Exception {
        Map<String, TableDelta> deltas = new LinkedHashMap<>();
        deltas.put("item", new TableDelta.SparseRows(2, new int[]{1, 4}, new float[]{0.5f, -1f, Float.MIN_VALUE, 3e9f}));
        deltas.put("dense", new TableDelta.Dense(new float[]{-0f, 1.25f}));
        FitResult result = new FitResult("u7", 12, new ModelUpdate(deltas), Map.of("loss", 0.693));

        FitResult back = (FitResult) roundTrip(Outcome.of(5, result)).value();

        assertThat(back.clientId()).isEqualTo("u7");
        assertThat(back.numExamples()).isEqualTo(12);
        assertThat(back.metrics()).isEqualTo(result.metrics());
        TableDelta.SparseRows item = (TableDelta.SparseRows) back.update().deltas().get("item");
        assertThat(item.cols()).isEqualTo(2);
        assertThat(item.rows()).containsExactly(1, 4);
        assertThat(item.values()).containsExactly(0.5f, -1f, Float.MIN_VALUE, 3e9f);
        float[] dense = ((TableDelta.Dense) back.update().deltas().get("dense")).values();
        assertThat(Float.floatToRawIntBits(dense[0])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(back.update().deltas().keySet()).containsExactly("item", "dense");
    }

    @Test
    void encodedDeltasTravelAsTheirBytes() throws Exception {
        Map<String, TableDelta> deltas = new LinkedHashMap<>();
        deltas.put("item", new TableDelta.Encoded("topk:0.01+q8", 1682, 64, 1077, new byte[]{1, -2, 3, 0, 127}));
        deltas.put("bias", new TableDelta.Dense(new float[]{0.5f}));
        FitResult result = new FitResult("u3", 4, new ModelUpdate(deltas), Map.of());

        FitResult back = (FitResult) roundTrip(Outcome.of(0, result)).value();

        assertThat(back.update().deltas().get("item")).isEqualTo(deltas.get("item"));
        assertThat(back.update().wireBytes()).isEqualTo(result.update().wireBytes());
        assertThat(((TableDelta.Dense) back.update().deltas().get("bias")).values()).containsExactly(0.5f);
    }

    @Test
    void evaluationAndFailureRoundTripWithTheirIndex() throws Exception {
        Outcome eval = roundTrip(Outcome.of(2, new EvaluateResult("u1", 1, Map.of("HR@10", 1.0))));
        Outcome failure = roundTrip(Outcome.of(3, new ClientFailure("u9", 4, ClientFailure.Phase.EVALUATE, "boom")));

        assertThat(eval.index()).isEqualTo(2);
        assertThat(((EvaluateResult) eval.value()).metrics()).containsEntry("HR@10", 1.0);
        assertThat(failure.index()).isEqualTo(3);
        assertThat(failure.value()).isEqualTo(new ClientFailure("u9", 4, ClientFailure.Phase.EVALUATE, "boom"));
    }

    @Test
    void anOutcomeMustBeAResultOrAFailure() {
        assertThatThrownBy(() -> Outcome.of(1, "text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request 1").hasMessageContaining("java.lang.String");
    }

    @Test
    void planSendsEachSharedModelOnceAndRoutesRequestsByPartition() throws Exception {
        ModelState global = new ModelState(Map.of("item", new FloatTable(2, 2, new float[]{1, 2, 3, 4})));
        RoundConfig config = RoundConfig.EMPTY.with("lr", 0.1).with("round", 3);
        RoundPlan plan = new RoundPlan.Builder(ClientFailure.Phase.FIT, 3, 42L, 2)
                .add(1, 0, "a", global, config).add(0, 1, "b", global, config).add(1, 2, "c", global, config).build();

        RoundPlan back = roundTrip(plan);

        assertThat(back.round()).isEqualTo(3);
        assertThat(back.seed()).isEqualTo(42L);
        assertThat(back.requests(0)).extracting(RoundPlan.Request::clientId).containsExactly("b");
        assertThat(back.requests(1)).extracting(RoundPlan.Request::clientId).containsExactly("a", "c");
        RoundPlan.Request a = back.requests(1).get(0);
        RoundPlan.Request c = back.requests(1).get(1);
        assertThat(back.global(a)).isSameAs(back.global(c)).isEqualTo(global);
        assertThat(back.config(a).values()).isEqualTo(config.values());
        assertThat(List.of(a.index(), c.index())).containsExactly(0, 2);
    }
}
