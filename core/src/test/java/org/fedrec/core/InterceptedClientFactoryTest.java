package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InterceptedClientFactoryTest {

    static final ModelState GLOBAL = new ModelState(Map.of("w", new FloatTable(1, 2, new float[] {0f, 0f})));
    static final ClientContext CONTEXT = new ClientContext(3, RandomSource.seeded(1));

    /** A client whose update is [1, 2] and whose evaluation reports score 7. */
    static final ClientFactory BASE = id -> new Client() {
        @Override
        public FitResult fit(FitInstruction ins, ClientContext ctx) {
            return new FitResult(id, 4, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {1f, 2f}))),
                    Map.of("loss", 0.5));
        }

        @Override
        public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
            return new EvaluateResult(id, 1, Map.of("score", 7.0));
        }
    };

    /** Appends {@code tag} to the metric "trace" and multiplies the update by {@code factor}. */
    static ClientInterceptor scaleBy(float factor, double tag, List<FitResult> seen) {
        return (ins, result, ctx) -> {
            seen.add(result);
            float[] in = ((TableDelta.Dense) result.update().deltas().get("w")).values();
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] * factor;
            }
            Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
            metrics.merge("trace", tag, (a, b) -> a * 10 + b);
            return new FitResult(result.clientId(), result.numExamples(),
                    new ModelUpdate(Map.of("w", new TableDelta.Dense(out))), metrics);
        };
    }

    @Test
    void interceptorsRunInOrderOnTheTrainingResultAndLeaveEvaluationAlone() {
        List<FitResult> seen = new ArrayList<>();
        ClientFactory factory = ClientFactory.intercepted(BASE,
                List.of(scaleBy(2f, 1, seen), scaleBy(-1f, 2, seen)));
        Client client = factory.create("u9");
        FitResult r = client.fit(new FitInstruction("u9", GLOBAL, RoundConfig.EMPTY), CONTEXT);

        assertThat(((TableDelta.Dense) r.update().deltas().get("w")).values()).containsExactly(-2f, -4f);
        assertThat(r.metrics()).containsEntry("trace", 12.0).containsEntry("loss", 0.5);
        assertThat(r.numExamples()).isEqualTo(4);
        // The second interceptor saw the first one's output, and the first one's input was not changed.
        assertThat(seen).hasSize(2);
        assertThat(((TableDelta.Dense) seen.get(0).update().deltas().get("w")).values()).containsExactly(1f, 2f);
        assertThat(((TableDelta.Dense) seen.get(1).update().deltas().get("w")).values()).containsExactly(2f, 4f);

        EvaluateResult e = client.evaluate(new EvaluateInstruction("u9", GLOBAL, RoundConfig.EMPTY), CONTEXT);
        assertThat(e.metrics()).containsEntry("score", 7.0);
    }

    @Test
    void noInterceptorsGivesTheBaseFactory() {
        assertThat(ClientFactory.intercepted(BASE, List.of())).isSameAs(BASE);
    }

    @Test
    void aBrokenInterceptorIsNamedWithTheClientAndRound() {
        ClientInterceptor nothing = new ClientInterceptor() {
            @Override
            public FitResult afterFit(FitInstruction ins, FitResult result, ClientContext ctx) {
                return null;
            }

            @Override
            public String toString() {
                return "Nothing";
            }
        };
        Client client = ClientFactory.intercepted(BASE, List.of(nothing)).create("u1");
        assertThatThrownBy(() -> client.fit(new FitInstruction("u1", GLOBAL, RoundConfig.EMPTY), CONTEXT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Nothing").hasMessageContaining("u1").hasMessageContaining("round 3");

        ClientInterceptor impostor = (ins, result, ctx) -> new FitResult("u2", 1, result.update(), Map.of());
        Client other = ClientFactory.intercepted(BASE, List.of(impostor)).create("u1");
        assertThatThrownBy(() -> other.fit(new FitInstruction("u1", GLOBAL, RoundConfig.EMPTY), CONTEXT))
                .hasMessageContaining("u1").hasMessageContaining("u2");
    }
}
